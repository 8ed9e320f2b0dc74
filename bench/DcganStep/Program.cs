using System.Diagnostics;
using System.Globalization;
using Models.Mnist.Models;
using Models.Mnist.Training;
using ModelDsl.Bench.DcganStep;
using ModelDsl.Bench.HandWritten;
using ModelDsl.Numerics;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

// Times one training step of the generated modules and of the same networks written by hand, for the DCGAN and
// the AC-GAN, interleaved in one process (machines are noisy), and reports the ratio, the achieved GFLOP/s and its
// share of the machine's FP32 peak (measured first, with FMAs on every logical CPU).
// Usage: dotnet run --project bench/DcganStep -c Release -- [--models dcgan,acgan] [--batches 64,256] [--repeats 12] [--warmup 3]
//        dotnet run --project bench/DcganStep -c Release -- --convolutions [--repeats 7]   (oneDNN vs FoldedConvolution per shape)
// Without --batches each model takes its own (an AC-GAN step costs about 25 times a DCGAN step of the same batch).
// The product's kernel choice for this CPU (bench/README.md), before the first torch call; MODELDSL_NUMERICS overrides it.
var numerics = NumericsSetup.Apply();
var models = Option("--models", "dcgan,acgan").Split(',');
var repeats = int.Parse(Option("--repeats", "12"), CultureInfo.InvariantCulture);
var warmup = int.Parse(Option("--warmup", "3"), CultureInfo.InvariantCulture);

Console.WriteLine(numerics);
Console.WriteLine($"CPU: {CpuInfo.Current}");
if (args.Contains("--convolutions"))
{
    ConvolutionForms.Run(repeats);
    return 0;
}
// A virtual machine's share of its cores drifts with its neighbours' load: the peak is measured again after each
// table, and each table's share is of the higher of the two measurements around it (the lower share).
var peak = MeasurePeak("FP32 peak");
Console.WriteLine($"torch threads: {torch.get_num_threads()}, repeats: {repeats} per variant and batch (after {warmup} warm-up steps), median step time");
foreach (var model in models)
{
    Console.WriteLine();
    Console.WriteLine(model switch
    {
        "dcgan" => "DCGAN step: batch = half real, half generated images for D; G trains on a full batch",
        "acgan" => "AC-GAN step: batch = real images; D also trains on as many generated ones, G on twice as many",
        _ => throw new ArgumentException($"--models takes dcgan and acgan, not '{model}'"),
    });
    var variantNames = model == "dcgan" ? new[] { "generated", "hand-written", "hand-written NHWC" } : ["generated", "hand-written"];
    Console.WriteLine($"{"batch",5}  {string.Join("  ", variantNames.Select(v => $"{v + " ms",18}"))}  {"gen/hand",8}  {"GFLOP/s",8}  {"% peak",6}");
    var rows = new List<(string Start, double Gflops)>();
    foreach (var batch in Option("--batches", model == "dcgan" ? "64,256" : "16,100").Split(',').Select(int.Parse))
    {
        torch.manual_seed(1);
        var (variants, flops) = model == "dcgan"
            ? (new[]
                {
                    Timed.Dcgan(new DcganGenerator(), new DcganDiscriminator(), batch),
                    Timed.Dcgan(new HandWrittenGenerator(), new HandWrittenDiscriminator(), batch),
                    Timed.Dcgan(new HandWrittenGenerator(channelsLast: true), new HandWrittenDiscriminator(channelsLast: true), batch),
                }, DcganFlops.TrainingStep(batch))
            : ([
                    Timed.Acgan(new AcganGenerator(), new AcganDiscriminator(), batch),
                    Timed.Acgan(new HandWrittenAcganGenerator(), new HandWrittenAcganDiscriminator(), batch),
                ], AcganFlops.TrainingStep(batch));
        for (var i = 0; i < warmup; i++)
            foreach (var variant in variants) variant();
        var stepMs = variants.Select(_ => new List<double>()).ToArray();
        // Rotate the order every round so drifts in machine load hit every variant alike.
        for (var round = 0; round < repeats; round++)
            for (var i = 0; i < variants.Length; i++)
            {
                var v = (i + round) % variants.Length;
                stepMs[v].Add(variants[v]());
            }
        var medians = stepMs.Select(Median).ToArray();
        var gflops = flops / (medians[0] / 1000) / 1e9;
        rows.Add((string.Create(CultureInfo.InvariantCulture,
            $"{batch,5}  {string.Join("  ", medians.Select(m => $"{m,18:0.0}"))}  {medians[0] / medians[1],8:0.000}  {gflops,8:0.0}"), gflops));
    }
    peak = Math.Max(peak, MeasurePeak("FP32 peak after the steps"));
    foreach (var (start, gflops) in rows) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{start}  {100 * gflops / peak,6:0.0}"));
    peak = MeasurePeak("FP32 peak");
}
return 0;

static double MeasurePeak(string label)
{
    var peak = FmaPeak.Measure(Environment.ProcessorCount);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {peak:0.0} GFLOP/s ({FmaPeak.Kind} on {Environment.ProcessorCount} threads)"));
    return peak;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

/// <summary>
/// A generator/discriminator pair with its optimizers, trained by the app's own step on fixed data: each call runs
/// one step and returns its milliseconds.
/// </summary>
internal static class Timed
{
    public static Func<double> Dcgan(nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, int batch)
    {
        var step = new DcganStep(generator, discriminator, Adam(generator), Adam(discriminator), new NonFiniteGuard(), torch.CPU);
        var real = rand(batch / 2, 1, 28, 28);
        var count = 0L;
        return () => Milliseconds(() => step.Run(++count, real));
    }

    public static Func<double> Acgan(nn.Module<Tensor, Tensor, Tensor> generator, nn.Module<Tensor, (Tensor Validity, Tensor ClassLogits)> discriminator, int batch)
    {
        var step = new AcganStep(generator, discriminator, Adam(generator), Adam(discriminator), new NonFiniteGuard(), torch.CPU);
        var (images, classes) = (rand(batch, 1, 28, 28) * 2 - 1, randint(0, 10, [batch], ScalarType.Int64));
        var count = 0L;
        return () => Milliseconds(() => step.Run(++count, images, classes));
    }

    private static TorchSharp.Modules.OptimizerHelper Adam(nn.Module model) => optim.Adam(model.parameters(), 2e-4, 0.5, 0.999);

    private static double Milliseconds(Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalMilliseconds;
    }
}

/// <summary>
/// Floating-point operations of one step, from the layers' multiply-accumulates per sample (2 FLOPs
/// each). Training a layer costs about 3× its forward pass (forward, input gradient, weight gradient);
/// the step runs G forward only on the half batch for D, D forward+backward on the batch, then G
/// forward+backward and D forward+input-gradient (frozen) on the full batch.
/// </summary>
internal static class DcganFlops
{
    // Linear 100→6272; ConvTranspose 128→128 k4 on 7×7 and on 14×14 inputs; Conv 128→1 k7 on 28×28.
    private const double GeneratorForward = 2.0 * (100 * 6272 + 128 * 128 * 16 * 49 + 128 * 128 * 16 * 196 + 128 * 1 * 49 * 784);
    // Conv 1→64 k3 to 14×14; Conv 64→64 k3 to 7×7; Linear 3136→1.
    private const double DiscriminatorForward = 2.0 * (1 * 64 * 9 * 196 + 64 * 64 * 9 * 49 + 3136);

    public static double TrainingStep(int batch)
    {
        var half = batch / 2;
        return half * GeneratorForward                 // fakes for D
            + 2 * half * 3 * DiscriminatorForward      // D trains on real + fake
            + batch * 3 * GeneratorForward             // G trains
            + batch * 2 * DiscriminatorForward;        // through a frozen D
    }
}

/// <summary>
/// Floating-point operations of one AC-GAN step, counted as for the DCGAN: G forward on the batch for D's fakes,
/// D forward+backward on twice the batch, then G forward+backward and D forward+input-gradient on twice the batch.
/// </summary>
internal static class AcganFlops
{
    // Linear 100→1024 and 1024→6272; Conv 128→256 k5 on 14×14; Conv 256→128 k5 on 28×28; Conv 128→1 k2 on 28×28.
    private const double GeneratorForward = 2.0 * (100 * 1024 + 1024 * 6272 + 128 * 256 * 25 * 196 + 256 * 128 * 25 * 784 + 128 * 1 * 4 * 784);
    // Conv 1→32 k3 to 14×14; 32→64 k3 on 14×14; 64→128 k3 to 7×7; 128→256 k3 on 7×7; Linear 12544→1 and 12544→10.
    private const double DiscriminatorForward = 2.0 * (1 * 32 * 9 * 196 + 32 * 64 * 9 * 196 + 64 * 128 * 9 * 49 + 128 * 256 * 9 * 49 + 12544 * 11);

    public static double TrainingStep(int batch) =>
        batch * GeneratorForward                       // fakes for D
        + 2 * batch * 3 * DiscriminatorForward         // D trains on real + fake
        + 2 * batch * 3 * GeneratorForward             // G trains
        + 2 * batch * 2 * DiscriminatorForward;        // through a frozen D
}
