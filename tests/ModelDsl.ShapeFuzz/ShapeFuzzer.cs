using System.Diagnostics;
using System.Globalization;

namespace ModelDsl.ShapeFuzz;

/// <param name="Count">Stacks to generate.</param>
/// <param name="Seed">Stack i is drawn from a generator seeded by (Seed, i) alone, so any one can be regenerated.</param>
/// <param name="BatchSize">Stacks per compilation (one generator run checks them all).</param>
public sealed record FuzzOptions(int Count, int Seed, int BatchSize = 250);

/// <summary>The tallies of a fuzzing run.</summary>
public sealed class FuzzReport
{
    public int Stacks { get; set; }
    public int Accepted { get; set; }
    /// <summary>Rejected stacks where TorchSharp threw at a step the generator rejected, with no stricter rule involved.</summary>
    public int RejectedLikeTorch { get; set; }
    public Dictionary<string, int> StricterRules { get; } = [];
    /// <summary>Per layer kind: how many accepted stacks use it (so a run shows what it covered).</summary>
    public SortedDictionary<string, int> AcceptedKinds { get; } = new(StringComparer.Ordinal);
    public List<string> Disagreements { get; } = [];
    public List<string> GeneratorExceptions { get; } = [];
    /// <summary>Accepted stacks whose ONNX export ONNX Runtime ran (the ONNX arm), and those where it disagreed with TorchSharp.</summary>
    public int OnnxChecked { get; set; }
    public List<string> OnnxMismatches { get; } = [];
    /// <summary>Kinds of problem already shrunk: one minimal reproducer per kind keeps a bad run readable and short.</summary>
    public HashSet<string> ShrunkKinds { get; } = [];
    public TimeSpan Elapsed { get; set; }

    public string Summary => $"stacks: {Stacks}, disagreements: {Disagreements.Count}, generator exceptions: {GeneratorExceptions.Count}, onnx mismatches: {OnnxMismatches.Count}";
}

/// <summary>Generates stacks, runs the real generator and TorchSharp on them, and judges each pair.</summary>
public static class ShapeFuzzer
{
    public static FuzzReport Run(FuzzOptions options, TextWriter log)
    {
        // Thousands of tiny ops: intra-op threads only add contention (tens of times slower on a busy machine).
        TorchSharp.torch.set_num_threads(1);
        var report = new FuzzReport();
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < options.Count; start += options.BatchSize)
        {
            var indices = Enumerable.Range(start, Math.Min(options.BatchSize, options.Count - start)).ToList();
            var drawn = indices.Select(i => new StackGenerator(StackRandom(options.Seed, i)).Next()).ToList();
            var (verdicts, output) = GeneratorHarness.RunWithOutput(drawn.Select(d => d.Stack).ToList());
            var agreed = Enumerable.Range(0, indices.Count).Where(k => Record(report, indices[k], drawn[k].Stack, verdicts[k], drawn[k].Trace, log)).ToList();
            foreach (var (k, problem) in OnnxArm.Check(output, agreed))
            {
                report.OnnxChecked++;
                if (problem is not null) RecordOnnxMismatch(report, indices[k], drawn[k].Stack, problem, log);
            }
            report.Stacks += indices.Count;
        }
        report.Elapsed = clock.Elapsed;
        return report;
    }

    /// <summary>Deterministic across runs and platforms (System.Random with a seed keeps its legacy algorithm).</summary>
    public static Random StackRandom(int seed, int index) => new(unchecked(seed * 1_000_003 + index));

    private static void RecordOnnxMismatch(FuzzReport report, int index, FuzzStack stack, string problem, TextWriter log)
    {
        report.OnnxMismatches.Add(report.ShrunkKinds.Add("onnx")
            ? Describe(index, "onnx: " + problem, stack, Shrinker.Shrink(stack, s => OnnxArm.Check(s) is not null), minimal => "onnx: " + OnnxArm.Check(minimal))
            : Describe(index, "onnx: " + problem, stack));
        log.WriteLine(report.OnnxMismatches[^1]);
    }

    /// <summary>Judges one stack into the report; true when the generator accepted it and TorchSharp agreed (the ONNX arm's stacks).</summary>
    private static bool Record(FuzzReport report, int index, FuzzStack stack, GeneratorVerdict verdict, OracleTrace trace, TextWriter log)
    {
        if (verdict.Failures.Count > 0)
        {
            var problem = "generator failure: " + verdict.Failures[0];
            report.GeneratorExceptions.Add(report.ShrunkKinds.Add("failure")
                ? Describe(index, problem, stack, Shrinker.Shrink(stack, s => GeneratorHarness.Run([s])[0].Failures.Count > 0),
                    minimal => GeneratorHarness.Run([minimal])[0].Failures[0])
                : Describe(index, problem, stack));
            log.WriteLine(report.GeneratorExceptions[^1]);
            return false;
        }

        var judgement = Judge.Compare(stack, verdict, trace);
        if (judgement.Disagreement is { } disagreement)
        {
            report.Disagreements.Add(report.ShrunkKinds.Add(judgement.Key!)
                ? Describe(index, disagreement, stack, Shrinker.Shrink(stack, s => Evaluate(s).Key == judgement.Key),
                    minimal => Evaluate(minimal).Disagreement!)
                : Describe(index, disagreement, stack));
            log.WriteLine(report.Disagreements[^1]);
            return false;
        }

        if (judgement.Accepted)
        {
            report.Accepted++;
            foreach (var kind in stack.Layers.Select(l => l.Kind).Distinct())
                report.AcceptedKinds[kind] = report.AcceptedKinds.GetValueOrDefault(kind) + 1;
        }
        else if (judgement.Rules.Count == 0) report.RejectedLikeTorch++;
        foreach (var rule in judgement.Rules.Distinct())
            report.StricterRules[rule.Name] = report.StricterRules.GetValueOrDefault(rule.Name) + 1;
        return judgement.Accepted;
    }

    /// <summary>Generator and TorchSharp on one stack, judged (for shrinking).</summary>
    public static Judgement Evaluate(FuzzStack stack) =>
        Judge.Compare(stack, GeneratorHarness.Run([stack])[0], TorchRun.Run(stack));

    private static string Describe(int index, string problem, FuzzStack stack) =>
        $"""
        stack {index}: {problem}
          as generated:
        {Indent(stack.Attributes)}
        """;

    private static string Describe(int index, string problem, FuzzStack stack, FuzzStack minimal, Func<FuzzStack, string> problemOf) =>
        $"""
        {Describe(index, problem, stack)}
          minimal reproducer: {problemOf(minimal)}
        {Indent(minimal.Attributes)}
        """;

    private static string Indent(string lines) => string.Join("\n", lines.Split('\n').Select(l => "    " + l));

    /// <summary>The closing report: what was covered, how long it took, and the verdict line.</summary>
    public static void WriteSummary(FuzzReport report, TextWriter log)
    {
        var rejected = report.Stacks - report.Accepted - report.Disagreements.Count - report.GeneratorExceptions.Count;
        log.WriteLine($"accepted: {report.Accepted} (TorchSharp ran each, same shape)");
        log.WriteLine($"rejected: {rejected} (TorchSharp threw at the rejected step: {report.RejectedLikeTorch}; stricter rules involved: {rejected - report.RejectedLikeTorch})");
        foreach (var (rule, count) in report.StricterRules.OrderByDescending(r => r.Value))
            log.WriteLine($"  {count,6}  {rule}");
        log.WriteLine("layer kinds in accepted stacks: " + string.Join(", ", report.AcceptedKinds.Select(k => $"{k.Key} {k.Value}")));
        log.WriteLine($"onnx: {report.OnnxChecked} accepted stacks exported and run in ONNX Runtime against TorchSharp, {report.OnnxMismatches.Count} disagreeing");
        var perThousand = report.Stacks == 0 ? 0 : report.Elapsed.TotalSeconds * 1000 / report.Stacks;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time: {report.Elapsed.TotalSeconds:F1} s ({perThousand:F1} s per 1,000 stacks)"));
        log.WriteLine(report.Summary);
    }
}
