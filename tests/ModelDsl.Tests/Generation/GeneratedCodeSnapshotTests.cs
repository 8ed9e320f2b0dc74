using Microsoft.CodeAnalysis;

namespace ModelDsl.Tests.Generation;

/// <summary>The generated source of every MNIST model and of the edge-case models, compared with reviewed snapshots.</summary>
public class GeneratedCodeSnapshotTests
{
    private static string RepoFile(string relative) => Path.Combine(RepoRoot.Path, relative);

    public static TheoryData<string> MnistModels => new() { "DcganGenerator", "DcganDiscriminator", "DigitClassifier", "AcganGenerator", "AcganDiscriminator" };

    [Theory]
    [MemberData(nameof(MnistModels))]
    public void Mnist_model(string model)
    {
        var path = RepoFile($"src/Models.Mnist/Models/{model}.cs");
        VerifyGenerated((path, File.ReadAllText(path)), model, nameof(Mnist_model));
    }

    public static TheoryData<string> EdgeCases => new() { "SamePaddingModel", "TransposeModel", "PoolingModel", "EmbeddingModel", "TwoHeadModel", "NestedModel", "GlorotModel", "CombinedStacksModel" };

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Edge_case(string model)
    {
        var path = RepoFile("tests/ModelDsl.Tests/TestModels/EdgeCaseModels.cs");
        VerifyGenerated((path, File.ReadAllText(path)), model, nameof(Edge_case));
    }

    public static TheoryData<string> Cifar10Models => new() { "Cifar10Cnn", "Cifar10Transfer" };

    [Theory]
    [MemberData(nameof(Cifar10Models))]
    public void Cifar10_model(string model)
    {
        var path = RepoFile("tests/ModelDsl.Tests/TestModels/Cifar10Models.cs");
        VerifyGenerated((path, File.ReadAllText(path)), model, nameof(Cifar10_model));
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
        var (output, result) = GeneratorRunner.Run(("Broken.cs", source));
        Assert.Equal(["MDSL0003"], result.Diagnostics.Select(d => d.Id));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Snapshot.Verify(result.GeneratedTrees.Single().ToString(), "Broken");
    }

    public static TheoryData<string> CustomLayers => new() { "AntirectifierModel", "ScaledPoolModel" };

    [Theory]
    [MemberData(nameof(CustomLayers))]
    public void Custom_layer(string model)
    {
        var path = RepoFile("tests/ModelDsl.Tests/TestModels/CustomLayerModels.cs");
        VerifyGenerated((path, File.ReadAllText(path)), model, nameof(Custom_layer));
    }

    private static void VerifyGenerated((string Path, string Text) source, string model, string test)
    {
        var (output, result) = GeneratorRunner.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var tree = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("." + model + ".g.cs", StringComparison.Ordinal));
        Snapshot.Verify(tree.ToString(), model, method: test);
    }
}
