using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;

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
/// Builds test sources the way the SDK would (<see cref="GeneratorSetup"/>): the compilation, the generator
/// with its incremental steps tracked, then the analyzers over the generated output.
/// </summary>
internal static class Dsl
{
    // The models in tests are written as in a project with these usings; TorchSharp is only read as metadata.
    private const string Usings = """
        global using ModelDsl;
        global using static TorchSharp.torch;
        global using static TorchSharp.torch.nn;
        """;

    public static string FileName(int index) => $"Model{index}.cs";

    /// <summary>A compilation of <paramref name="sources"/>, named Model0.cs, Model1.cs, … in order.</summary>
    public static CSharpCompilation Compile(IEnumerable<string> sources) =>
        GeneratorSetup.Compile([.. sources.Select((s, i) => GeneratorSetup.Parse(s, FileName(i))), GeneratorSetup.Parse(Usings, "Usings.cs")]);

    public static DslRun Run(params string[] sources) => Run(Compile(sources));

    public static DslRun Run(Compilation compilation)
    {
        var (driver, output) = GeneratorSetup.Run(compilation, trackSteps: true);
        var result = driver.GetRunResult();
        // The analyzer reports every MDSL error; the generator reports nothing a user can cause (issue #14).
        Assert.That(result.Diagnostics, Is.Empty, "the generator reported diagnostics");
        return new DslRun(output, driver, result.Results.Single(), result.Diagnostics,
            GeneratorSetup.AnalyzerDiagnostics(output), output.GetDiagnostics());
    }
}
