using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace ModelDsl.Tests.Generation;

/// <summary>
/// Every model the README shows compiles as a user would write it: in a file that opens with the usings every
/// TorchSharp user writes next to <c>using ModelDsl;</c> (no CS0104 between ModelDsl's and TorchSharp's names), and,
/// where the README writes only <c>using ModelDsl;</c>, as written.
/// </summary>
public sealed partial class ReadmeModelTests
{
    private const string TorchSharpUsings = """
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;
        using ModelDsl;

        """;

    /// <summary>What the README's snippets use but leave out: the antirectifier's module.</summary>
    private const string Elided = """
        using static TorchSharp.torch;
        sealed class Antirectifier() : nn.Module<Tensor, Tensor>(nameof(Antirectifier))
        {
            public override Tensor forward(Tensor x) => cat([x.relu(), (-x).relu()], -1);
        }
        """;

    public static TheoryData<int> ModelBlocks() => Blocks(IsModel);

    /// <summary>Model blocks that are whole files, opening with their usings (the others are fragments of a file shown elsewhere).</summary>
    public static TheoryData<int> WholeFileModelBlocks() => Blocks(b => IsModel(b) && b.TrimStart().StartsWith("using ", StringComparison.Ordinal));

    [Fact]
    public void The_README_shows_models_both_as_files_and_as_fragments()
    {
        Assert.True(ModelBlocks().Count >= 6, "the README's C# blocks with [Input] are fewer than expected: did the block marker change?");
        Assert.True(WholeFileModelBlocks().Count >= 2, "the README shows no model file opening with 'using ModelDsl;'");
    }

    [Theory]
    [MemberData(nameof(ModelBlocks))]
    public void Compiles_beside_the_usual_TorchSharp_usings(int block)
    {
        var declarations = TypeDeclarations(ReadmeBlocks()[block]);
        AssertBuilds(TorchSharpUsings + declarations);
    }

    [Theory]
    [MemberData(nameof(WholeFileModelBlocks))]
    public void Compiles_as_written(int block) => AssertBuilds(ReadmeBlocks()[block]);

    private static void AssertBuilds(string source)
    {
        var (driver, output) = GeneratorSetup.Run(GeneratorSetup.Compile([GeneratorSetup.Parse(source, "Readme.cs"), GeneratorSetup.Parse(Elided, "Elided.cs")]));
        var problems = driver.GetRunResult().Diagnostics
            .Concat(GeneratorSetup.AnalyzerDiagnostics(output))
            .Concat(output.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\nin:\n" + source);
        Assert.NotEmpty(driver.GetRunResult().GeneratedTrees);
    }

    private static TheoryData<int> Blocks(Func<string, bool> where) =>
        [.. ReadmeBlocks().Select((block, index) => (block, index)).Where(p => where(p.block)).Select(p => p.index)];

    private static bool IsModel(string block) => block.Contains("[Input(", StringComparison.Ordinal) && !block.Contains('…');

    /// <summary>The type declarations of a snippet: its statements (which use the model) need a program around them.</summary>
    private static string TypeDeclarations(string block) =>
        string.Join("\n\n", CSharpSyntaxTree.ParseText(block).GetCompilationUnitRoot().Members.OfType<BaseTypeDeclarationSyntax>().Select(t => t.ToFullString().Trim()));

    private static readonly Lazy<string[]> s_readmeBlocks =
        new(() => [.. CSharpBlock().Matches(RepoRoot.ReadFile("README.md")).Select(m => m.Groups[1].Value)]);

    private static string[] ReadmeBlocks() => s_readmeBlocks.Value;

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
