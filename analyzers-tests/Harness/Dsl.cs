using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generators;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Analyzers.Tests.Harness;

/// <summary>Everything one build of test sources produced, by origin.</summary>
internal sealed record DslRun(
    Compilation Output,
    GeneratorDriver Driver,
    GeneratorRunResult Result,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics,
    ImmutableArray<Diagnostic> CompilerDiagnostics)
{
    public IEnumerable<Diagnostic> All => GeneratorDiagnostics.Concat(AnalyzerDiagnostics).Concat(CompilerDiagnostics);

    public IEnumerable<Diagnostic> Errors => All.Where(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Builds test sources the way the SDK would: a .NET 10 compilation with ModelDsl.Runtime and TorchSharp,
/// the generator, then the analyzer over the generated output.
/// </summary>
internal static class Dsl
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // The models in tests are written as in a project with these usings; TorchSharp is only read as metadata.
    private const string Usings = """
        global using ModelDsl;
        global using static TorchSharp.torch;
        global using static TorchSharp.torch.nn;
        """;

    private static readonly ImmutableArray<MetadataReference> s_references =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(InputAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(CustomLayerAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
    ];

    // TorchSharp targets net8.0: unifying its framework references with .NET 10 is expected (the SDK hides these too).
    private static readonly CSharpCompilationOptions s_options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
        .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);

    public static string FileName(int index) => $"Model{index}.cs";

    /// <summary>A compilation of <paramref name="sources"/>, named Model0.cs, Model1.cs, … in order.</summary>
    public static CSharpCompilation Compile(IEnumerable<string> sources) =>
        CSharpCompilation.Create("TestModels",
            [.. sources.Select((s, i) => Parse(s, FileName(i))), Parse(Usings, "Usings.cs")],
            s_references, s_options);

    public static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new ModelGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static DslRun Run(params string[] sources) => Run(Compile(sources));

    public static DslRun Run(Compilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult();
        var analyzers = output.WithAnalyzers([new StrayLayerAnalyzer()]);
        return new DslRun(output, driver, result.Results.Single(), result.Diagnostics,
            analyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult(), output.GetDiagnostics());
    }
}
