using System.Diagnostics;
using System.Globalization;
using Models.Mnist.Models;
using Models.Mnist.Training;
using ModelDsl.Bench.DcganStep;
using ModelDsl.Numerics;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

// Times one DCGAN training step of the generated modules and of the same network written by hand,
// interleaved in one process (machines are noisy), and reports the ratio and the achieved GFLOP/s.
// Usage: dotnet run --project bench/DcganStep -c Release -- [--batches 64,256] [--repeats 12] [--warmup 3]
// The product's kernel choice for this CPU (bench/README.md), before the first torch call; MODELDSL_NUMERICS overrides it.
var numerics = NumericsSetup.Apply();
var batches = Option("--batches", "64,256").Split(',').Select(int.Parse).ToArray();
var repeats = int.Parse(Option("--repeats", "12"), CultureInfo.InvariantCulture);
var warmup = int.Parse(Option("--warmup", "3"), CultureInfo.InvariantCulture);

Console.WriteLine(numerics);
Console.WriteLine($"threads: {torch.get_num_threads()}, repeats: {repeats} per variant and batch (after {warmup} warm-up steps), median step time");
Console.WriteLine($"{"batch",5}  {"generated ms",12}  {"hand-written ms",15}  {"ratio",6}  {"GFLOP/s",8}");
foreach (var batch in batches)
{
    torch.manual_seed(1);
    var generated = new Variant(new DcganGenerator(), new DcganDiscriminator());
    var handWritten = new Variant(new HandWrittenGenerator(), new HandWrittenDiscriminator());
    using var real = rand(batch / 2, 1, 28, 28);
    for (var i = 0; i < warmup; i++)
    {
        generated.Time(real);
        handWritten.Time(real);
    }
    var (generatedMs, handMs) = (new List<double>(), new List<double>());
    for (var i = 0; i < repeats; i++)
    {
        // Alternate the order so drifts in machine load hit both variants alike.
        if (i % 2 == 0)
        {
            generatedMs.Add(generated.Time(real));
            handMs.Add(handWritten.Time(real));
        }
        else
        {
            handMs.Add(handWritten.Time(real));
            generatedMs.Add(generated.Time(real));
        }
    }
    var (g, h) = (Median(generatedMs), Median(handMs));
    var gflops = DcganFlops.TrainingStep(batch) / (g / 1000) / 1e9;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{batch,5}  {g,12:0.0}  {h,15:0.0}  {g / h,6:0.000}  {gflops,8:0.0}"));
}
return 0;

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

/// <summary>A generator/discriminator pair with its optimizers, trained by the app's own step.</summary>
internal sealed class Variant
{
    private readonly DcganStep _step;
    private long _count;

    public Variant(nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator)
    {
        var generatorOptimizer = optim.Adam(generator.parameters(), 2e-4, 0.5, 0.999);
        var discriminatorOptimizer = optim.Adam(discriminator.parameters(), 2e-4, 0.5, 0.999);
        _step = new DcganStep(generator, discriminator, generatorOptimizer, discriminatorOptimizer, new NonFiniteGuard(), torch.CPU);
    }

    /// <summary>Milliseconds of one training step.</summary>
    public double Time(Tensor real)
    {
        var clock = Stopwatch.StartNew();
        _step.Run(++_count, real);
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
