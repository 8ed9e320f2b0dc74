namespace ModelDsl.Analyzers.Tests.Harness;

/// <summary>Files of this repository, found from the test assembly by walking up to ModelDsl.sln.</summary>
internal static class RepoFiles
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln"))) return dir.FullName;
        throw new InvalidOperationException("ModelDsl.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => s_root.Value;

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));
}
