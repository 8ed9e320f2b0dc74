using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generators;

namespace ModelDsl.TestSupport;

/// <summary>
/// The one way tests and benches run ModelDsl outside a build: a .NET 10 library compilation that references
/// ModelDsl.Runtime (with its attributes, ModelDsl.Abstractions) and TorchSharp and has the global usings the
/// package's build adds, as a project using the DSL does; a <see cref="CSharpGeneratorDriver"/> holding
/// <see cref="ModelGenerator"/>; and ModelDsl's analyzers, which report the MDSL errors.
/// </summary>
public static class GeneratorSetup
{
    /// <summary>C# as this repository builds it (LangVersion latest in Directory.Build.props).</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    // Reference assemblies rather than the running framework's, so a compilation is the same on every machine.
    // ModelDsl.Abstractions holds the attributes; TorchSharp is only read as metadata, for the types generated code uses.
    // Every compilation forks this one, so the references are bound once per process, as in the compiler server.
    private static readonly CSharpCompilation s_empty = CSharpCompilation.Create("TestModels",
        references:
        [
            .. Basic.Reference.Assemblies.Net100.References.All,
            MetadataReference.CreateFromFile(typeof(InputAttribute).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(IGeneratedModel).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
        ],
        options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            // TorchSharp targets net8.0: unifying its framework references with .NET 10 is expected (the SDK hides these too).
            .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    public static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    /// <summary>What the package's build adds to every project (buildTransitive/ModelDsl.targets, ModelDslPaddingAlias).</summary>
    private static readonly SyntaxTree s_packageUsings = Parse("global using Padding = global::TorchSharp.Padding;", "GlobalUsings.ModelDsl.g.cs");

    /// <summary>A compilation of <paramref name="trees"/> with the references, options and package usings above.</summary>
    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees) => s_empty.AddSyntaxTrees([.. trees, s_packageUsings]);

    /// <summary>
    /// A driver holding ModelGenerator. <paramref name="trackSteps"/> records why each incremental step ran
    /// (for incrementality tests); a build does not record them, so timings leave it off.
    /// </summary>
    public static GeneratorDriver CreateDriver(bool trackSteps = false) => CSharpGeneratorDriver.Create(
        [new ModelGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs a new driver over <paramref name="compilation"/>: the driver after the run, and the compilation with the generated code.</summary>
    public static (GeneratorDriver Driver, Compilation Output) Run(Compilation compilation, bool trackSteps = false)
    {
        var driver = CreateDriver(trackSteps).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver, output);
    }

    /// <summary>Every analyzer ModelDsl.Generators ships: the build and editors run them all from the one assembly.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
    [
        .. typeof(ModelGenerator).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(DiagnosticAnalyzer)) && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ];

    /// <summary>
    /// What ModelDsl's analyzers report on <paramref name="compilation"/>: every MDSL error (the generator reports
    /// none). Give it the generator's output compilation, as a build and an editor do.
    /// </summary>
    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation) =>
        compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
}
