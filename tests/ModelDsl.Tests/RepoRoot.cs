namespace ModelDsl.Tests;

/// <summary>The repository root (the folder holding ModelDsl.sln), found from the test assembly's location.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ModelDsl.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No ModelDsl.sln above {AppContext.BaseDirectory}.");
    }
}
