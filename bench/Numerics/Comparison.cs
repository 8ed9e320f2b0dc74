using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelDsl.Numerics;

namespace ModelDsl.Bench.Numerics;

/// <summary>Step times of every configuration from one timing session, and the steps each left out as non-finite.</summary>
internal sealed record TimingSession(IReadOnlyDictionary<string, IReadOnlyDictionary<long, List<double>>> StepMs, IReadOnlyDictionary<string, int> SkippedSteps, int Steps);

/// <summary>
/// Runs each configuration in its own process (oneDNN fixes its ISA once per process): optionally a
/// timing session with one live process per configuration, stepped in turn; then the correctness
/// workers, round by round with the order rotated; then prints the table.
/// </summary>
internal static class Comparison
{
    private const int TimingWarmupSteps = 3;

    public static int Run(BenchOptions options)
    {
        // Timing first, while the machine is as it was when the command started.
        var timing = options.TimingSteps > 0 ? Time(options) : null;
        var results = new List<WorkerResult>();
        using var outFile = options.OutFile is null ? null : new StreamWriter(options.OutFile, append: true);
        if (options.Repeats > 0 || options.Runs > 0)
            for (var round = 0; round < options.Rounds; round++)
                for (var i = 0; i < options.Configs.Count; i++)
                {
                    var config = options.Configs[(i + round) % options.Configs.Count];
                    var result = RunWorker(config, options.WorkerArguments(config, round));
                    if (result is null)
                    {
                        Console.Error.WriteLine($"[{config}] round {round}: worker failed; counted as a failed run.");
                        result = new WorkerResult(config, round, "worker crashed", "", "", [], double.NaN, double.NaN, [new TrainingResult(-1, "crash", null, [])]);
                    }
                    else
                    {
                        outFile?.WriteLine(JsonSerializer.Serialize(result, Worker.Json));
                        outFile?.Flush();
                    }
                    results.Add(result);
                }

        Console.WriteLine(Table(options.Configs, results, timing));
        return 0;
    }

    /// <summary>Which ISA oneDNN itself reports under each configuration (its ONEDNN_VERBOSE info line).</summary>
    public static int ProbeIsa(BenchOptions options)
    {
        foreach (var config in options.Configs)
        {
            using var process = Start(BenchConfiguration.Parse(config), ["work", "--config", config, "--repeats", "0", "--runs", "0", "--onednn-verbose"], interactive: false);
            var isa = ReadLines(process).FirstOrDefault(l => l.Contains(",cpu,isa:", StringComparison.Ordinal))?.Split(",cpu,isa:")[1] ?? "no oneDNN info line";
            process.WaitForExit();
            Console.WriteLine($"{config,-40} oneDNN: {isa}");
        }
        return 0;
    }

    private static WorkerResult? RunWorker(string config, IEnumerable<string> arguments)
    {
        using var process = Start(BenchConfiguration.Parse(config), arguments, interactive: false);
        var line = ReadLines(process).LastOrDefault(l => l.StartsWith(Worker.ResultPrefix, StringComparison.Ordinal));
        process.WaitForExit();
        return process.ExitCode == 0 && line is not null ? JsonSerializer.Deserialize<WorkerResult>(line[Worker.ResultPrefix.Length..], Worker.Json) : null;
    }

    /// <summary>
    /// Starts one step server per configuration and steps them in turn, the order rotated every round, so
    /// that load bursts on a shared machine hit every configuration alike.
    /// </summary>
    private static TimingSession Time(BenchOptions options)
    {
        var servers = options.Configs.ToDictionary(c => c, c => Start(BenchConfiguration.Parse(c), ["serve", "--config", c, "--seed", "1", "--data", options.DataFolder], interactive: true));
        try
        {
            foreach (var (config, server) in servers)
                if (server.StandardOutput.ReadLine() != StepServer.Ready) throw new InvalidOperationException($"[{config}] step server did not start.");

            var stepMs = options.Configs.ToDictionary(c => c, _ => options.TimingBatches.ToDictionary(b => b, _ => new List<double>()));
            foreach (var batch in options.TimingBatches)
                for (var round = -TimingWarmupSteps; round < options.TimingSteps; round++)
                {
                    for (var i = 0; i < options.Configs.Count; i++)
                    {
                        var config = options.Configs[(i + Math.Max(round, 0)) % options.Configs.Count];
                        var ms = Step(servers[config], batch);
                        if (round >= 0) stepMs[config][batch].Add(ms);
                    }
                    if (round >= 0 && (round + 1) % 10 == 0) Console.Error.WriteLine($"timing B={batch}: {round + 1}/{options.TimingSteps} steps per configuration");
                }

            var skipped = servers.ToDictionary(s => s.Key, s =>
            {
                s.Value.StandardInput.WriteLine(StepServer.Quit);
                return int.Parse(s.Value.StandardOutput.ReadLine()!, CultureInfo.InvariantCulture);
            });
            return new TimingSession(stepMs.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<long, List<double>>)s.Value), skipped,
                                     options.TimingSteps * options.TimingBatches.Count);
        }
        finally
        {
            foreach (var server in servers.Values)
            {
                server.WaitForExit(60_000);
                server.Dispose();
            }
        }
    }

    private static double Step(Process server, long batch)
    {
        server.StandardInput.WriteLine(batch.ToString(CultureInfo.InvariantCulture));
        return double.Parse(server.StandardOutput.ReadLine() ?? throw new InvalidOperationException("A step server exited."), CultureInfo.InvariantCulture);
    }

    private static Process Start(BenchConfiguration configuration, IEnumerable<string> arguments, bool interactive)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardInput = interactive, UseShellExecute = false };
        // Under 'dotnet bench.dll' the host needs the assembly; the apphost does not.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(Comparison).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Each configuration sets these itself; inherited values would override it.
        start.Environment.Remove(NumericsSetup.SettingVariable);
        start.Environment.Remove(NumericsSetup.OneDnnIsaVariable);
        start.Environment.Remove(NumericsSetup.LegacyIsaVariable);
        if (configuration.MallocPerturb is { } perturb) start.Environment["MALLOC_PERTURB_"] = perturb.ToString(CultureInfo.InvariantCulture);
        if (configuration.OmpBind is { } bind)
        {
            start.Environment["OMP_PROC_BIND"] = bind;
            start.Environment["OMP_PLACES"] = "cores";
        }
        var process = Process.Start(start)!;
        if (interactive) process.StandardInput.AutoFlush = true;
        return process;
    }

    private static IEnumerable<string> ReadLines(Process process)
    {
        while (process.StandardOutput.ReadLine() is { } line) yield return line;
    }

    internal static string Table(IReadOnlyList<string> configs, IReadOnlyList<WorkerResult> results, TimingSession? timing)
    {
        // Step times from the timing session when there was one, else from the training runs.
        var times = configs.ToDictionary(c => c, c => timing is not null
            ? timing.StepMs[c].ToDictionary(t => t.Key, t => (IReadOnlyList<double>)t.Value)
            : results.Where(r => r.Config == c).SelectMany(r => r.Training).SelectMany(t => t.Timings)
                .GroupBy(t => t.Batch).ToDictionary(g => g.Key, g => (IReadOnlyList<double>)g.Select(t => t.MedianStepMs).ToList()));
        var batches = times.Values.SelectMany(t => t.Keys).Distinct().Order().ToList();
        var medians = configs.ToDictionary(c => c, c => batches.ToDictionary(b => b, b => Median(times[c].GetValueOrDefault(b) ?? [])));
        var fastest = batches.ToDictionary(b => b, b => configs.Select(c => medians[c][b]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min());

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
            var timedBad = timing is null ? "" : $" (+{timing.SkippedSteps[config]} of {timing.Steps} timed steps)";
            table.Append(CultureInfo.InvariantCulture,
                $"| `{config}` | {bad.Count}/{runs.Count}{timedBad} | {firstBad} | {operators.Sum(o => o.WrongRepeats)}/{operators.Sum(o => o.Repeats)} | " +
                $"{(operators.Count == 0 ? "–" : Worker.Format(operators.Max(o => o.MaxRelError)))} | {operators.Sum(o => o.NondeterministicRepeats)} | ");
            foreach (var batch in batches)
                table.Append(CultureInfo.InvariantCulture, $"{medians[config][batch]:F0} ({medians[config][batch] / fastest[batch]:F2}×) | ");
            table.AppendLine();
        }
        table.AppendLine();
        table.AppendLine($"CPU: {CpuInfo.Current}; step times: {(timing is null ? "medians of the training runs' median steps" : $"median of {timing.StepMs.First().Value.First().Value.Count} steps per configuration and batch size, stepped in turn")}; " +
                         "load averages at worker start: " + string.Join(", ", results.Select(r => r.LoadAverage.Split(' ')[0]).Where(l => l.Length > 0)));
        return table.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
