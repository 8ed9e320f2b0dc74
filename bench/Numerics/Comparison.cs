using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelDsl.Bench.Numerics;

/// <summary>
/// Runs each configuration in its own process (oneDNN fixes its ISA once per process), round by round
/// with the order rotated, so all configurations see the same machine load; then prints the table.
/// </summary>
internal static class Comparison
{
    public static int Run(BenchOptions options)
    {
        var results = new List<WorkerResult>();
        using var outFile = options.OutFile is null ? null : new StreamWriter(options.OutFile, append: true);
        for (var round = 0; round < options.Rounds; round++)
            for (var i = 0; i < options.Configs.Count; i++)
            {
                var config = options.Configs[(i + round) % options.Configs.Count];
                var (exitCode, stdout) = RunChild(BenchConfiguration.Parse(config), options.WorkerArguments(config, round));
                var line = stdout.FirstOrDefault(l => l.StartsWith(Worker.ResultPrefix, StringComparison.Ordinal));
                if (exitCode != 0 || line is null)
                {
                    Console.Error.WriteLine($"[{config}] round {round}: worker failed (exit code {exitCode}); counted as a failed run.");
                    results.Add(new WorkerResult(config, round, "worker crashed", "", "", [], double.NaN, double.NaN, [new TrainingResult(-1, "crash", null, [])]));
                    continue;
                }
                var json = line[Worker.ResultPrefix.Length..];
                outFile?.WriteLine(json);
                outFile?.Flush();
                results.Add(JsonSerializer.Deserialize<WorkerResult>(json, Worker.Json)!);
            }

        Console.WriteLine(Table(options.Configs, results));
        return 0;
    }

    /// <summary>Which ISA oneDNN itself reports under each configuration (its ONEDNN_VERBOSE info line).</summary>
    public static int ProbeIsa(BenchOptions options)
    {
        foreach (var config in options.Configs)
        {
            var (exitCode, stdout) = RunChild(BenchConfiguration.Parse(config), ["work", "--config", config, "--repeats", "0", "--runs", "0", "--onednn-verbose"]);
            var isa = stdout.FirstOrDefault(l => l.Contains(",cpu,isa:", StringComparison.Ordinal))?.Split(",cpu,isa:")[1] ?? $"no oneDNN info line (exit code {exitCode})";
            Console.WriteLine($"{config,-40} oneDNN: {isa}");
        }
        return 0;
    }

    private static (int ExitCode, List<string> Stdout) RunChild(BenchConfiguration configuration, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        // Under 'dotnet bench.dll' the host needs the assembly; the apphost does not.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(Comparison).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Each configuration sets these itself; inherited values would override it.
        start.Environment.Remove("MODELDSL_NUMERICS");
        start.Environment.Remove("ONEDNN_MAX_CPU_ISA");
        start.Environment.Remove("DNNL_MAX_CPU_ISA");
        if (configuration.MallocPerturb is { } perturb) start.Environment["MALLOC_PERTURB_"] = perturb.ToString(CultureInfo.InvariantCulture);

        using var process = Process.Start(start)!;
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line) lines.Add(line);
        process.WaitForExit();
        return (process.ExitCode, lines);
    }

    internal static string Table(IReadOnlyList<string> configs, IReadOnlyList<WorkerResult> results)
    {
        var batches = results.SelectMany(r => r.Training).SelectMany(t => t.Timings).Select(t => t.Batch).Distinct().Order().ToList();
        var medians = configs.ToDictionary(c => c, c => batches.ToDictionary(b => b, b => Median(results.Where(r => r.Config == c)
            .SelectMany(r => r.Training).SelectMany(t => t.Timings).Where(t => t.Batch == b).Select(t => t.MedianStepMs))));
        var fastest = batches.ToDictionary(b => b, b => medians.Values.Select(m => m[b]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min());

        var table = new StringBuilder();
        table.AppendLine("| configuration | training runs non-finite | first non-finite | wrong tensors (operator check) | max rel. error vs float64 | tensors not bitwise repeatable | " +
                         string.Join(" | ", batches.Select(b => $"step B={b}, ms (× fastest)")) + " |");
        table.AppendLine("|---|---|---|---|---|---|" + string.Concat(batches.Select(_ => "---|")));
        foreach (var config in configs)
        {
            var mine = results.Where(r => r.Config == config).ToList();
            var runs = mine.SelectMany(r => r.Training).ToList();
            var bad = runs.Where(t => t.FirstNonFinite is not null || t.Seed < 0).ToList();
            var operators = mine.SelectMany(r => r.Operators).ToList();
            var firstBad = bad.Select(t => t.FirstNonFinite?.ToString() ?? "worker crashed").FirstOrDefault() ?? "–";
            table.Append(CultureInfo.InvariantCulture,
                $"| `{config}` | {bad.Count}/{runs.Count} | {firstBad} | {operators.Sum(o => o.WrongRepeats)}/{operators.Sum(o => o.Repeats)} | " +
                $"{(operators.Count == 0 ? "–" : Worker.Format(operators.Max(o => o.MaxRelError)))} | {operators.Sum(o => o.NondeterministicRepeats)} | ");
            foreach (var batch in batches)
                table.Append(CultureInfo.InvariantCulture, $"{medians[config][batch]:F0} ({medians[config][batch] / fastest[batch]:F2}×) | ");
            table.AppendLine();
        }
        table.AppendLine();
        table.AppendLine($"CPU: {results.Select(r => r.Cpu).FirstOrDefault(c => c.Length > 0)}; load averages at worker start: " +
                         string.Join(", ", results.Select(r => r.LoadAverage.Split(' ')[0]).Where(l => l.Length > 0)));
        return table.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
