namespace Models.Mnist.Data;

/// <summary>How the MNIST folder was chosen.</summary>
public enum MnistLocationSource
{
    /// <summary>Given by the caller (the app's <c>--data DIR</c>).</summary>
    Explicit,

    /// <summary>Taken from the <c>MODELDSL_DATA</c> environment variable.</summary>
    EnvironmentVariable,

    /// <summary>The per-user cache folder, <c>$XDG_CACHE_HOME/modeldsl/mnist</c> or <c>~/.cache/modeldsl/mnist</c>.</summary>
    UserCache,
}

/// <summary>The folder that holds (or will receive) the MNIST files, and why it was chosen.</summary>
/// <param name="Directory">The absolute folder path.</param>
/// <param name="Source">Which rule picked it.</param>
public sealed record MnistLocation(string Directory, MnistLocationSource Source)
{
    /// <summary>The environment variable that names the data folder when none is given explicitly.</summary>
    public const string EnvironmentVariableName = "MODELDSL_DATA";

    /// <summary>
    /// Picks the data folder: <paramref name="explicitDirectory"/> if given, else <c>MODELDSL_DATA</c>, else the
    /// XDG user cache folder. The folder need not exist yet.
    /// </summary>
    public static MnistLocation Resolve(string? explicitDirectory) =>
        Resolve(explicitDirectory, Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    internal static MnistLocation Resolve(string? explicitDirectory, Func<string, string?> environment, string homeDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return new(Path.GetFullPath(explicitDirectory), MnistLocationSource.Explicit);
        }
        if (environment(EnvironmentVariableName) is { Length: > 0 } fromEnvironment)
        {
            return new(Path.GetFullPath(fromEnvironment), MnistLocationSource.EnvironmentVariable);
        }
        // The XDG spec says to ignore a relative XDG_CACHE_HOME.
        var cacheHome = environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(homeDirectory, ".cache");
        return new(Path.GetFullPath(Path.Combine(cacheHome, "modeldsl", "mnist")), MnistLocationSource.UserCache);
    }

    internal string Describe() => Source switch
    {
        MnistLocationSource.Explicit => $"{Directory} (the folder given)",
        MnistLocationSource.EnvironmentVariable => $"{Directory} (from {EnvironmentVariableName})",
        _ => $"{Directory} (the user cache folder)",
    };
}
