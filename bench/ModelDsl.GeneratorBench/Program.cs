using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.TestSupport;

// Generator time in-process: dotnet run --project bench/ModelDsl.GeneratorBench -c Release [-- --runs N]
// Prints a Markdown table for bench/README-generator.md: per scenario the median CPU time of the process
// and the median wall time over N runs (CPU time is what the generator costs; on a busy machine wall
// time also counts waiting for a core).
var runs = args is ["--runs", var value] ? int.Parse(value, CultureInfo.InvariantCulture) : 15;

var mnist = RepoRoot.MnistModelFiles().Select(path => GeneratorSetup.Parse(File.ReadAllText(path), Path.GetFileName(path))).ToList();
var generated = Enumerable.Range(0, 200).Select(i => GeneratorSetup.Parse(BenchModels.Source(i), $"Model{i}.cs")).ToList();

// Also the warm-up: the first runs JIT-compile the generator and Roslyn.
Check(Run(GeneratorSetup.CreateDriver(), mnist), mnist.Count);
Check(Run(GeneratorSetup.CreateDriver(), generated), generated.Count);

Console.WriteLine($"CPU / wall time, median of {runs} runs:");
Console.WriteLine();
Console.WriteLine("| corpus | full run | cached, nothing changed | unrelated file edited | one model edited |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var (name, trees) in new[] { ($"{mnist.Count} MNIST models", mnist), ($"{generated.Count} models", generated) })
{
    // Incremental steps are not tracked (the driver's default): a build does not track them either.
    var full = Median(() => Time(() => Run(GeneratorSetup.CreateDriver(), trees)));
    var driver = Run(GeneratorSetup.CreateDriver(), trees);
    var cached = Median(() => Time(() => driver = Run(driver, trees)));
    var edit = 0;
    var unrelated = Median(() => Time(() => driver = Run(driver, [.. trees, GeneratorSetup.Parse($"class Unrelated {{ int N => {edit++}; }}", "Unrelated.cs")])));
    var edited = Median(() => Time(() => driver = Run(driver, [GeneratorSetup.Parse(trees[0].ToString().Replace("[Input(", $"// edit {edit++}\n[Input("), trees[0].FilePath), .. trees.Skip(1)])));
    Console.WriteLine($"| {name} | {full} | {cached} | {unrelated} | {edited} |");
}

// The MDSL errors come from ModelDsl's analyzers, which re-run the generator's parsing and shape inference. Their own
// cost is Roslyn's telemetry (execution time per analyzer, summed): the analyzer driver's binding of the compilation
// is there for every analyzer of a build or an editor, ModelDsl's or not. Each run gets a fresh compilation with the
// generated code, as a build's analyzers see it (bound symbols are cached per compilation; every edit makes a new one).
Console.WriteLine();
Console.WriteLine($"ModelDsl's analyzers, execution time (Roslyn's telemetry), median of {runs} runs; the generator's full run (CPU) beside it:");
Console.WriteLine();
Console.WriteLine("| corpus | generator, full run | analyzers, whole compilation (a build) | analyzers, one model's file (an editor's document diagnostics) |");
Console.WriteLine("|---|---|---|---|");
foreach (var (name, trees) in new[] { ($"{mnist.Count} MNIST models", mnist), ($"{generated.Count} models", generated) })
{
    var full = Median(() => Time(() => Run(GeneratorSetup.CreateDriver(), trees)));
    var whole = MedianMilliseconds(() => AnalyzerTime(Generated(trees), null));
    var oneFile = MedianMilliseconds(() => AnalyzerTime(Generated(trees), trees[0].FilePath));
    Console.WriteLine($"| {name} | {full.Split(" / ")[0]} ms | {whole} | {oneFile} |");
}
return 0;

string MedianMilliseconds(Func<double> measure)
{
    var times = Enumerable.Range(0, runs + 3).Select(_ => measure()).Skip(3).Order().ToList();
    return string.Create(CultureInfo.InvariantCulture, $"{times[runs / 2]:F0} ms");
}

// The analyzers' execution time on the whole compilation, or on the one file at filePath; they must find no error.
static double AnalyzerTime(Compilation compilation, string? filePath)
{
    var analyzers = compilation.WithAnalyzers(GeneratorSetup.Analyzers,
        new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
    var diagnostics = filePath is null
        ? analyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
        : analyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(compilation.SyntaxTrees.First(t => t.FilePath == filePath)), null, CancellationToken.None).GetAwaiter().GetResult();
    if (diagnostics.Length > 0) throw new InvalidOperationException("expected valid models, but: " + string.Join("; ", diagnostics));
    return GeneratorSetup.Analyzers.Sum(a => analyzers.GetAnalyzerTelemetryInfoAsync(a, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds);
}

static Compilation Generated(IEnumerable<SyntaxTree> trees) => GeneratorSetup.Run(GeneratorSetup.Compile(trees)).Output;


string Median(Func<(double Cpu, double Wall)> measure)
{
    // Three unmeasured runs first: the scenario's code paths get JIT-compiled and its caches filled.
    var times = Enumerable.Range(0, runs + 3).Select(_ => measure()).Skip(3).ToList();
    var cpu = times.Select(t => t.Cpu).Order().ElementAt(runs / 2);
    var wall = times.Select(t => t.Wall).Order().ElementAt(runs / 2);
    return string.Create(CultureInfo.InvariantCulture, $"{cpu:F0} / {wall:F0} ms");
}

static (double Cpu, double Wall) Time(Action action)
{
    // Garbage of earlier runs is not this run's cost.
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    action();
    process.Refresh();
    return ((process.TotalProcessorTime - cpu).TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
}

// A new compilation per run, as each build or edit makes one; unchanged trees are the same objects, as in the compiler server.
static GeneratorDriver Run(GeneratorDriver driver, IEnumerable<SyntaxTree> trees) => driver.RunGenerators(GeneratorSetup.Compile(trees));

// The bench must time models that generate, not the error path.
static void Check(GeneratorDriver driver, int models)
{
    var result = driver.GetRunResult();
    if (result.Diagnostics.Length > 0 || result.GeneratedTrees.Length != models)
        throw new InvalidOperationException($"expected {models} generated models without diagnostics: {string.Join("; ", result.Diagnostics)}");
}

/// <summary>200 models in four families of realistic sizes.</summary>
internal static class BenchModels
{
    /// <summary>Model i: a classifier, a DCGAN generator, a discriminator or an embedding model, sized by i.</summary>
    public static string Source(int i)
    {
        var filters = 16 * (1 + i % 4);
        var layers = (i % 4) switch
        {
            0 => $"""
                [Input(1, {28 + i % 5}, {28 + i % 5})]
                [Conv2D({filters}, 3)] [ReLU] [Conv2D({2 * filters}, 3)] [ReLU]
                [MaxPooling2D(2)] [Dropout(0.25)]
                [Flatten] [Dense(128)] [ReLU] [Dropout(0.5)] [Dense(10)]
                [Output(10)]
                """,
            1 => $"""
                [Input({50 + i})]
                [Dense(128 * 7 * 7)] [LeakyReLU(0.2)] [Reshape(128, 7, 7)]
                [Conv2DTranspose({filters}, 4, stride: 2, padding: Padding.Same)] [LeakyReLU(0.2)]
                [Conv2DTranspose({filters}, 4, stride: 2, padding: Padding.Same)] [LeakyReLU(0.2)]
                [Conv2D(1, 7, padding: Padding.Same)] [Sigmoid]
                [Output(1, 28, 28)]
                """,
            2 => $"""
                [Input({1 + i % 3}, 28, 28)]
                [Conv2D({filters}, 3, stride: 2, padding: Padding.Same)] [LeakyReLU(0.2)] [Dropout(0.4)]
                [Conv2D({filters}, 3, stride: 2, padding: Padding.Same)] [LeakyReLU(0.2)] [Dropout(0.4)]
                [Flatten] [Dense(1)] [Sigmoid]
                [Output(1)]
                """,
            _ => $"""
                [Input(DType.Int64, 8)]
                [Embedding(1000, {16 + 2 * (i % 8)})] [Reshape(1, 8, -1)]
                [Conv2D(4, 3, padding: Padding.Same)] [BatchNormalization] [AveragePooling2D(2)]
                [Flatten] [Dense(2)] [LogSoftmax]
                [Output(2)]
                """,
        };
        return $"using ModelDsl;\n\nnamespace Bench;\n\n{layers}\npublic partial class Model{i};\n";
    }
}
