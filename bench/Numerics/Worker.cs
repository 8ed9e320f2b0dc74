using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelDsl.Numerics;
using static TorchSharp.torch;

namespace ModelDsl.Bench.Numerics;

/// <summary>Worst error of one tensor of one case over all repeats.</summary>
internal sealed record OperatorSummary(string Case, long Batch, string Tensor, int Repeats, int WrongRepeats, int NonFiniteRepeats,
                                       int NondeterministicRepeats, double MaxAbsError, double MaxRelError);

/// <summary>Everything one worker process measured under one configuration.</summary>
/// <param name="ReferenceSeconds">Building the float64 references (what a start-up self-test would pay once).</param>
/// <param name="PassSeconds">Median float32 pass over all cases and batch sizes, with its comparison.</param>
internal sealed record WorkerResult(string Config, int Round, string Choice, string Cpu, string LoadAverage,
                                    IReadOnlyList<OperatorSummary> Operators, double ReferenceSeconds, double PassSeconds,
                                    IReadOnlyList<TrainingResult> Training);

/// <summary>
/// One process under one configuration: the operator check (<c>--repeats</c> passes over the DCGAN
/// convolutions at <c>--batches</c>), then <c>--runs</c> training runs of <c>--phases</c>.
/// </summary>
internal static class Worker
{
    public const string ResultPrefix = "RESULT ";

    /// <summary>Timings are NaN when a part was skipped.</summary>
    public static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static int Run(BenchOptions options)
    {
        var configuration = BenchConfiguration.Parse(options.Config);
        if (options.OneDnnVerbose) NativeEnvironment.Set("ONEDNN_VERBOSE", "1");
        var choice = configuration.Apply(Console.Error);
        var load = LoadAverage();
        // oneDNN prints its ISA line when it creates its first primitive.
        if (options.OneDnnVerbose) nn.functional.conv2d(ones(2, 64, 15, 15), ones(64, 64, 3, 3), strides: [2]).Dispose();

        var (operators, referenceSeconds, passSeconds) = options.Repeats > 0 ? CheckOperators(options) : ([], double.NaN, double.NaN);
        var training = new List<TrainingResult>();
        if (options.Runs > 0)
        {
            using var images = Mnist.LoadTrainImages(options.DataFolder);
            for (var run = 0; run < options.Runs; run++)
            {
                var result = DcganTraining.Run(configuration, images, options.Phases, options.Seed + run);
                Console.Error.WriteLine($"[{configuration.Name}] training seed {result.Seed} {result.Phases}: " +
                                        $"{(result.FirstNonFinite is { } bad ? "NON-FINITE at " + bad : "finite")}; " +
                                        string.Join(", ", result.Timings.Select(t => $"B={t.Batch} median {t.MedianStepMs:F0} ms")));
                training.Add(result);
            }
        }

        var worker = new WorkerResult(configuration.Name, options.Round, choice.ToString(), CpuInfo.Current.ToString(), load,
                                      operators, referenceSeconds, passSeconds, training);
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(worker, Json));
        return 0;
    }

    private static (List<OperatorSummary>, double ReferenceSeconds, double PassSeconds) CheckOperators(BenchOptions options)
    {
        var watch = Stopwatch.StartNew();
        using var check = new ConvolutionCheck(ConvolutionCase.Dcgan, options.Batches, options.Seed);
        var referenceSeconds = watch.Elapsed.TotalSeconds;
        var all = new List<ConvolutionResult>();
        var passSeconds = new List<double>();
        for (var repeat = 0; repeat < options.Repeats; repeat++)
        {
            watch.Restart();
            foreach (var result in check.Repeat(repeat))
            {
                if (result.IsWrong || !result.SameAsFirstRepeat)
                    Console.Error.WriteLine($"[{options.Config}] repeat {repeat} {result.Case} B={result.Batch}: " +
                        string.Join(", ", result.Errors.Where(e => e.IsWrong).Select(e => $"{e.Tensor} non-finite {e.NonFinite}, max rel {e.MaxRelError:G3}")) +
                        (result.SameAsFirstRepeat ? "" : " (differs from repeat 0)"));
                all.Add(result);
            }
            passSeconds.Add(watch.Elapsed.TotalSeconds);
            if ((repeat + 1) % 10 == 0)
                Console.Error.WriteLine($"[{options.Config}] {repeat + 1}/{options.Repeats} passes, {all.Count(r => r.IsWrong)} wrong results so far");
        }

        var summaries = all
            .SelectMany(r => r.Errors.Select(e => (r.Case, r.Batch, Error: e, r.SameAsFirstRepeat)))
            .GroupBy(x => (x.Case, x.Batch, x.Error.Tensor))
            .Select(g => new OperatorSummary(g.Key.Case, g.Key.Batch, g.Key.Tensor, g.Count(), g.Count(x => x.Error.IsWrong),
                                             g.Count(x => x.Error.NonFinite > 0), g.Count(x => !x.SameAsFirstRepeat),
                                             g.Max(x => x.Error.MaxAbsError), g.Max(x => x.Error.MaxRelError)))
            .ToList();
        return (summaries, referenceSeconds, passSeconds.Order().ElementAt(passSeconds.Count / 2));
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";

    public static string Format(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
