using System.Globalization;

namespace ModelDsl.Bench.Numerics;

/// <summary>Command-line options (see <see cref="Usage"/>).</summary>
internal sealed class BenchOptions
{
    public const string Usage = """
        Usage: dotnet run --project bench/Numerics -c Release -- <command> [options]

        Commands:
          compare      run every --configs in its own process, interleaved round by round, and print the table
          work         one process under --config (what compare runs; prints a RESULT line of JSON)
          serve        one process under --config that times training steps on request (compare's timing session)
          probe-isa    show which ISA oneDNN reports under each --configs (checks the setenv path works)
          avx512-stress  check the platform itself: exact AVX-512 sums on many threads for --seconds (no oneDNN)

        Options:
          --config C           one configuration (work, serve; default: default)
          --configs A,B,...    configurations (compare, probe-isa); each is 'default' (this CPU's product default),
                               'native' (oneDNN's own choice) or items joined by '+':
                               isa=AVX2|AVX2_VNNI|AVX512_CORE|AVX512_CORE_VNNI|AVX512_CORE_BF16|…, threads=N,
                               heap=system, and the bench-only mkldnn=off, malloc-perturb=N, init=torch
                               (TorchSharp's default weights), networks=hand-written (the plain TorchSharp DCGAN),
                               omp-bind=close|spread (OpenMP threads pinned to cores)
          --rounds N           compare: processes per configuration (default 1)
          --repeats N          operator check: passes over the DCGAN convolutions vs float64 (default 20; 0 skips)
          --batches 64,256     operator check batch sizes (default 64,256)
          --runs N             training runs per process (default 1; 0 skips)
          --phases 64x25,...   training phases BATCHxSTEPS, run in order in one process (default 64x25)
          --seed N             first seed (default 0; round r of compare uses seed + r·runs)
          --data DIR           MNIST folder (default $MODELDSL_DATA or ../shared/data/mnist)
          --out FILE           compare: also write every worker's JSON result to FILE (JSON lines)
          --timing-steps N     compare: then time N training steps per configuration and batch size, one
                               process per configuration kept alive, stepping them in turn (default 0: none)
          --timing-batches L   compare: batch sizes of the timing session (default 64,256)
          --onednn-verbose     work: set ONEDNN_VERBOSE=1 (through setenv) before the first kernel
          --threads N          avx512-stress: threads (default 2 × cores, so they preempt each other)
          --seconds N          avx512-stress: duration (default 60)
        """;

    public string Command { get; private set; } = "";
    public string Config { get; private set; } = "default";
    public IReadOnlyList<string> Configs { get; private set; } = ["default"];
    public int Rounds { get; private set; } = 1;
    public int Round { get; private set; }
    public int Repeats { get; private set; } = 20;
    public IReadOnlyList<long> Batches { get; private set; } = [64, 256];
    public int Runs { get; private set; } = 1;
    public IReadOnlyList<(long Batch, int Steps)> Phases { get; private set; } = [(64, 25)];
    public int Seed { get; private set; }
    public string DataFolder { get; private set; } = Mnist.DefaultFolder();
    public string? OutFile { get; private set; }
    public bool OneDnnVerbose { get; private set; }
    public int? Threads { get; private set; }
    public int Seconds { get; private set; } = 60;
    public int TimingSteps { get; private set; }
    public IReadOnlyList<long> TimingBatches { get; private set; } = [64, 256];

    /// <summary>The options a worker needs to repeat this run under <paramref name="config"/>, as arguments.</summary>
    public IEnumerable<string> WorkerArguments(string config, int round) =>
    [
        "work", "--config", config, "--round", I(round), "--repeats", I(Repeats), "--batches", string.Join(',', Batches),
        "--runs", I(Runs), "--phases", DcganTraining.Describe(Phases),
        "--seed", I(Seed + round * Math.Max(Runs, 1)), "--data", DataFolder,
    ];

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help") throw new UsageException(Usage);
        var options = new BenchOptions { Command = args[0] };
        for (var i = 1; i < args.Length; i++)
        {
            var option = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{option} needs a value.\n\n{Usage}");
            int Integer() => int.Parse(Value(), CultureInfo.InvariantCulture);
            switch (option)
            {
                case "--config": options.Config = Value(); break;
                case "--configs": options.Configs = Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries); break;
                case "--rounds": options.Rounds = Integer(); break;
                case "--round": options.Round = Integer(); break;
                case "--repeats": options.Repeats = Integer(); break;
                case "--batches": options.Batches = Longs(Value()); break;
                case "--runs": options.Runs = Integer(); break;
                case "--phases": options.Phases = ParsePhases(Value()); break;
                case "--seed": options.Seed = Integer(); break;
                case "--data": options.DataFolder = Value(); break;
                case "--out": options.OutFile = Value(); break;
                case "--onednn-verbose": options.OneDnnVerbose = true; break;
                case "--threads": options.Threads = Integer(); break;
                case "--seconds": options.Seconds = Integer(); break;
                case "--timing-steps": options.TimingSteps = Integer(); break;
                case "--timing-batches": options.TimingBatches = Longs(Value()); break;
                default: throw new UsageException($"Unknown option {option}.\n\n{Usage}");
            }
        }
        return options;
    }

    private static long[] Longs(string text) => text.Split(',').Select(b => long.Parse(b, CultureInfo.InvariantCulture)).ToArray();

    private static (long, int)[] ParsePhases(string text) =>
        text.Split(',').Select(phase => phase.Split('x') is [var batch, var steps]
            ? (long.Parse(batch, CultureInfo.InvariantCulture), int.Parse(steps, CultureInfo.InvariantCulture))
            : throw new UsageException($"Phase '{phase}' is not BATCHxSTEPS.")).ToArray();

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A command line this tool cannot run; the message includes the usage text.</summary>
internal sealed class UsageException(string message) : Exception(message);
