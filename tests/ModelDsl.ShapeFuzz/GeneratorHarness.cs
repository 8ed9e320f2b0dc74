using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.TestSupport;

namespace ModelDsl.ShapeFuzz;

/// <summary>A generator error and where it points: -1 for [Input], a layer index, or null for neither.</summary>
public sealed record StepDiagnostic(string Id, int? Step, string Message);

/// <summary>
/// The real generator's verdict on one stack: its MDSL errors, the <c>OutputShape</c> its generated code
/// states, errors in that code, and signs of a generator failure (exceptions, CS8785, AD0001, MDSL0999).
/// </summary>
public sealed record GeneratorVerdict(
    IReadOnlyList<StepDiagnostic> Errors, long[]? OutputShape, IReadOnlyList<string> CompileErrors, IReadOnlyList<string> Failures)
{
    public bool Accepted => Errors.Count == 0;
}

/// <summary>
/// Runs ModelGenerator and ModelDsl's analyzers (<see cref="GeneratorSetup"/>) over many stacks at once,
/// one file and class per stack.
/// </summary>
public static partial class GeneratorHarness
{
    private const string InternalError = "MDSL0999";

    public static string ClassName(int index) => "Stack" + index;

    [GeneratedRegex(@"\bStack(\d+)\b")]
    private static partial Regex ClassNamePattern();

    /// <summary>The generator's verdict on each stack, in order.</summary>
    public static IReadOnlyList<GeneratorVerdict> Run(IReadOnlyList<FuzzStack> stacks) => RunWithOutput(stacks).Verdicts;

    /// <summary>The generator's verdict on each stack, and the compilation with the generated code (which the ONNX arm builds and loads).</summary>
    public static (IReadOnlyList<GeneratorVerdict> Verdicts, Compilation Output) RunWithOutput(IReadOnlyList<FuzzStack> stacks)
    {
        var sources = stacks.Select((s, i) => s.ToSource(ClassName(i))).ToList();
        var compilation = GeneratorSetup.Compile(sources.Select((s, i) => GeneratorSetup.Parse(s.Text, ClassName(i) + ".cs")));

        var (driver, output) = GeneratorSetup.Run(compilation);
        var result = driver.GetRunResult().Results.Single();
        var analyzerDiagnostics = GeneratorSetup.AnalyzerDiagnostics(output);

        var errors = stacks.Select(_ => new List<StepDiagnostic>()).ToList();
        var failures = stacks.Select(_ => new List<string>()).ToList();
        var compileErrors = stacks.Select(_ => new List<string>()).ToList();
        var unattributed = new List<string>();

        if (result.Exception is { } exception) unattributed.Add("generator threw " + exception);
        foreach (var diagnostic in result.Diagnostics.Concat(analyzerDiagnostics))
        {
            var index = StackOf(diagnostic);
            var isFailure = diagnostic.Id is InternalError or "CS8785" or "AD0001";
            if (isFailure)
                (index is { } i ? failures[i] : unattributed).Add(diagnostic.ToString());
            else if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                if (index is not { } i) throw new InvalidOperationException("A generator error outside every stack: " + diagnostic);
                errors[i].Add(new StepDiagnostic(diagnostic.Id, StepOf(diagnostic, sources[i].Spans), diagnostic.GetMessage()));
            }
        }

        var generated = result.GeneratedSources.ToDictionary(g => g.HintName, g => g.SyntaxTree);
        foreach (var diagnostic in output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
            (StackOf(diagnostic) is { } i ? compileErrors[i] : unattributed).Add(diagnostic.ToString());

        // A failure that names no stack is pinned down by running the stacks one by one.
        if (unattributed.Count > 0)
            return (stacks.Count == 1
                ? [new GeneratorVerdict(errors[0], null, compileErrors[0], [.. failures[0], .. unattributed])]
                : stacks.SelectMany(s => Run([s])).ToList(), output);

        return (stacks.Select((_, i) => new GeneratorVerdict(errors[i],
                generated.TryGetValue($"Fuzz.{ClassName(i)}.g.cs", out var tree) ? OutputShape(tree) : null,
                compileErrors[i], failures[i]))
            .ToList(), output);
    }

    /// <summary>The stack a diagnostic belongs to: by its file, else by a class name in its message.</summary>
    private static int? StackOf(Diagnostic diagnostic)
    {
        // The generator's own diagnostics carry a file path but no syntax tree (their locations are cached as plain data).
        var path = diagnostic.Location.GetLineSpan().Path;
        var text = string.IsNullOrEmpty(path) ? diagnostic.GetMessage() : Path.GetFileName(path);
        var match = ClassNamePattern().Match(text);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>0 for [Input] becomes step -1; layer attribute k becomes step k.</summary>
    private static int? StepOf(Diagnostic diagnostic, IReadOnlyList<(int Start, int End)> spans)
    {
        var start = diagnostic.Location.SourceSpan.Start;
        for (var i = 0; i < spans.Count; i++)
            if (start >= spans[i].Start && start < spans[i].End) return i - 1;
        return null;
    }

    /// <summary>The dimensions of <c>OutputShape =&gt; [a, b, c];</c> in the generated class.</summary>
    private static long[]? OutputShape(SyntaxTree tree) =>
        tree.GetRoot().DescendantNodes().OfType<PropertyDeclarationSyntax>()
            .FirstOrDefault(p => p.Identifier.Text == "OutputShape")?.ExpressionBody?.Expression is CollectionExpressionSyntax collection
            ? collection.Elements.Select(e => long.Parse(e.ToString(), System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : null;
}
