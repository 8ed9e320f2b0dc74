using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests.Harness;

/// <summary>Assertions over a whole build: every warning and error, from every origin, must be one the test marked.</summary>
internal static class Expect
{
    /// <summary>
    /// Builds the marked source and asserts that its warnings and errors are exactly the marked spans;
    /// <paramref name="messages"/> are the full messages of the MDSL spans, in source order.
    /// </summary>
    public static DslRun Diagnostics(string markup, params string[] messages) => Diagnostics([markup], messages);

    /// <inheritdoc cref="Diagnostics(string, string[])"/>
    public static DslRun Diagnostics(string[] markups, params string[] messages)
    {
        var parsed = markups.Select((m, i) => Markup.Parse(Dsl.FileName(i), m)).ToList();
        var modelDslSpans = parsed.SelectMany(p => p.Spans).Where(s => IsModelDsl(s.Id)).ToList();
        if (modelDslSpans.Count != messages.Length)
            throw new ArgumentException($"{modelDslSpans.Count} MDSL spans are marked but {messages.Length} messages given");

        var run = Dsl.Run([.. parsed.Select(p => p.Source)]);
        var messageOf = modelDslSpans.Zip(messages).ToDictionary(p => p.First, p => p.Second);
        var expected = parsed.SelectMany(p => p.Spans)
            .Select(s => Describe(run, s.FilePath, s.Span, s.Id, messageOf.GetValueOrDefault(s)))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.That(Reported(run), Is.EqualTo(expected));
        AssertHealthy(run);
        return run;
    }

    /// <summary>Builds valid models and asserts no warning or error anywhere, and that code was generated.</summary>
    public static DslRun Clean(params string[] sources)
    {
        var run = Dsl.Run(sources);
        Assert.That(Reported(run), Is.Empty);
        Assert.That(run.Result.GeneratedSources, Is.Not.Empty);
        AssertHealthy(run);
        return run;
    }

    /// <summary>The generator and analyzer never fail, whatever the input.</summary>
    public static void AssertHealthy(DslRun run)
    {
        Assert.That(run.Result.Exception, Is.Null);
        Assert.That(run.All.Select(d => d.Id), Has.None.AnyOf("MDSL0999", "CS8785", "AD0001"));
    }

    /// <summary>Warnings and errors in a form that shows what went wrong: file, span, the text under it, ID and message.</summary>
    public static IReadOnlyList<string> Reported(DslRun run) =>
        [.. run.All.Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => Describe(run, d.Location.GetLineSpan().Path, d.Location.SourceSpan, d.Id, IsModelDsl(d.Id) ? d.GetMessage() : null))
            .Order(StringComparer.Ordinal)];

    private static bool IsModelDsl(string id) => id.StartsWith("MDSL", StringComparison.Ordinal);

    private static string Describe(DslRun run, string path, Microsoft.CodeAnalysis.Text.TextSpan span, string id, string? message)
    {
        var tree = run.Output.SyntaxTrees.FirstOrDefault(t => t.FilePath == path);
        var text = tree?.GetText().ToString(span) ?? "";
        return $"{path}@{span.Start:D5}-{span.End:D5} «{text}» {id}" + (message is null ? "" : ": " + message);
    }
}
