namespace ModelDsl.TestSupport;

/// <summary>The repository's root, the folder holding ModelDsl.sln, found by walking up from the running assembly.</summary>
public static class RepoRoot
{
    private static readonly Lazy<string> s_path = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ModelDsl.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No ModelDsl.sln above {AppContext.BaseDirectory}: tests and benches run from their build output in the repository.");
    });

    public static string Path => s_path.Value;

    /// <summary>The full path of <paramref name="relativePath"/>, given from the root with '/'.</summary>
    public static string FilePath(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    public static string ReadFile(string relativePath) => File.ReadAllText(FilePath(relativePath));

    /// <summary>The MNIST models' source files (src/Models.Mnist/Models), as users write models, in name order.</summary>
    public static IReadOnlyList<string> MnistModelFiles() =>
        [.. Directory.EnumerateFiles(FilePath("src/Models.Mnist/Models"), "*.cs").Order(StringComparer.Ordinal)];
}
