namespace Models.Mnist.Data;

/// <summary>How a data set's folder was chosen.</summary>
public enum MnistLocationSource
{
    /// <summary>Given by the caller (the app's <c>--data DIR</c>).</summary>
    Explicit,

    /// <summary>Taken from the <c>MODELDSL_DATA</c> environment variable (MNIST's folder).</summary>
    EnvironmentVariable,

    /// <summary>The per-user cache folder, <c>$XDG_CACHE_HOME/modeldsl/NAME</c> or <c>~/.cache/modeldsl/NAME</c> (NAME: the data set's).</summary>
    UserCache,
}

/// <summary>The folder that holds (or will receive) a data set's files, and why it was chosen.</summary>
/// <param name="Directory">The absolute folder path.</param>
/// <param name="Source">Which rule picked it.</param>
public sealed record MnistLocation(string Directory, MnistLocationSource Source)
{
    /// <summary>The environment variable that names MNIST's folder when none is given explicitly.</summary>
    public const string EnvironmentVariableName = "MODELDSL_DATA";

    /// <summary>
    /// Picks the folder of <paramref name="dataSet"/>: <paramref name="explicitDirectory"/> if given, else (for MNIST)
    /// <c>MODELDSL_DATA</c>, else the data set's XDG user cache folder. The folder need not exist yet.
    /// </summary>
    public static MnistLocation Resolve(string? explicitDirectory, DataSet dataSet) =>
        Resolve(explicitDirectory, dataSet, Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    internal static MnistLocation Resolve(string? explicitDirectory, DataSet dataSet, Func<string, string?> environment, string homeDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return new(Path.GetFullPath(explicitDirectory), MnistLocationSource.Explicit);
        }
        // The variable has always named the MNIST folder; another data set's files never sit in it.
        if (dataSet.Name == DataSet.Mnist.Name && environment(EnvironmentVariableName) is { Length: > 0 } fromEnvironment)
        {
            return new(Path.GetFullPath(fromEnvironment), MnistLocationSource.EnvironmentVariable);
        }
        // The XDG spec says to ignore a relative XDG_CACHE_HOME.
        var cacheHome = environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(homeDirectory, ".cache");
        return new(Path.GetFullPath(Path.Combine(cacheHome, "modeldsl", dataSet.Name)), MnistLocationSource.UserCache);
    }

    internal string Describe() => Source switch
    {
        MnistLocationSource.Explicit => $"{Directory} (the folder given)",
        MnistLocationSource.EnvironmentVariable => $"{Directory} (from {EnvironmentVariableName})",
        _ => $"{Directory} (the user cache folder)",
    };
}
