using Microsoft.CodeAnalysis;

namespace ModelDsl.Tests.Generation;

/// <summary>
/// The generated code of every model in TestModels/ and in the MNIST app (src/Models.Mnist/Models), compared
/// with reviewed snapshots. A case is a file of those folders and its snapshots are whatever the generator makes
/// of it, so a new model or file cannot go without a snapshot, nor a snapshot outlive its model.
/// </summary>
public class GeneratedCodeSnapshotTests
{
    private const string FileParameter = "file";

    // By file name without .cs, the value Verify puts in the snapshot names.
    private static readonly IReadOnlyDictionary<string, string> s_modelFiles = FindModelFiles();

    public static TheoryData<string> ModelFiles => new(s_modelFiles.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ModelFiles))]
    public void Generated_code(string file)
    {
        var path = s_modelFiles[file];
        var (output, result) = Generate(path, File.ReadAllText(path));
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorSetup.AnalyzerDiagnostics(output));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Snapshot.VerifyGenerated(result, (FileParameter, file));
    }

    [Fact]
    public void Model_with_shape_error_gets_a_stub_so_only_the_MDSL_error_shows()
    {
        const string source = """
            using ModelDsl;
            [Input(100)] [Dense(6272)] [Reshape(128, 7, 7)]
            [Conv2DTranspose(128, 3, stride: 2, padding: 1)]
            [Output(128, 14, 14)]
            public partial class Broken;
            """;
        var (output, result) = Generate("Broken.cs", source);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(["MDSL0003"], GeneratorSetup.AnalyzerDiagnostics(output).Select(d => d.Id));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Snapshot.VerifyGenerated(result);
    }

    [Fact]
    public void Every_snapshot_belongs_to_a_test_case()
    {
        string[] cases =
        [
            .. s_modelFiles.Keys.Select(file => Snapshot.Prefix(nameof(GeneratedCodeSnapshotTests), nameof(Generated_code), (FileParameter, file))),
            Snapshot.Prefix(nameof(GeneratedCodeSnapshotTests), nameof(Model_with_shape_error_gets_a_stub_so_only_the_MDSL_error_shows)),
        ];
        var orphans = Directory.EnumerateFiles(Snapshot.Folder(), "*.verified.*").Select(Path.GetFileName)
            .Where(name => !cases.Any(c => name!.StartsWith(c + "#", StringComparison.Ordinal))).ToList();
        Assert.True(orphans.Count == 0, $"Snapshots of no test case (their model file is gone, or the test renamed): {string.Join(", ", orphans)}");
    }

    /// <summary>The generator's run over <paramref name="text"/> compiled alone, as a project holding only that file.</summary>
    private static (Compilation Output, GeneratorRunResult Result) Generate(string path, string text)
    {
        var (driver, output) = GeneratorSetup.Run(GeneratorSetup.Compile([GeneratorSetup.Parse(text, path)]));
        return (output, driver.GetRunResult().Results.Single());
    }

    private static Dictionary<string, string> FindModelFiles()
    {
        var files = Directory.EnumerateFiles(RepoRoot.FilePath("tests/ModelDsl.Tests/TestModels"), "*.cs").Concat(RepoRoot.MnistModelFiles());
        var byName = files.GroupBy(f => Path.GetFileNameWithoutExtension(f)).ToList();
        if (byName.FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new InvalidOperationException($"Snapshots are named by model file, but {string.Join(" and ", clash)} share the name {clash.Key}.cs: rename one.");
        return byName.ToDictionary(g => g.Key, g => g.Single());
    }
}
