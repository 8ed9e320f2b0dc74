namespace ModelDsl.Tests.Support;

/// <summary>
/// A folder of real data that some tests need, looked for once by <paramref name="find"/> (the folder, or null and
/// why it is missing); a test that asks for it where there is none is skipped with the reason.
/// </summary>
public sealed class RealDataFolder(Func<(string? Directory, string Missing)> find)
{
    private readonly Lazy<(string? Directory, string Missing)> _found = new(find);

    /// <summary>The folder; skips the calling test, saying why, where there is none.</summary>
    public string Directory
    {
        get
        {
            var (directory, missing) = _found.Value;
            Skip.If(directory is null, missing);
            return directory!;
        }
    }
}
