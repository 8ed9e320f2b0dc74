using System.Diagnostics;
using System.Globalization;
using Models.Mnist.Models;
using Models.Mnist.Training;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Bench.Numerics;

/// <summary>
/// One configuration's process in a timing session: it keeps a DCGAN and its optimizers and, for each line
/// "BATCH" on stdin, trains one step at that batch size and answers with the milliseconds it took. The
/// session drives all configurations' servers in turn, one step each, so load bursts on a shared machine
/// hit every configuration alike.
/// </summary>
internal static class StepServer
{
    public const string Ready = "READY";
    public const string Quit = "quit";

    public static int Run(BenchOptions options)
    {
        var configuration = BenchConfiguration.Parse(options.Config);
        configuration.Apply(log: null);
        // All configurations' servers live at once: a tenth of MNIST keeps them small, and is plenty to draw batches from.
        using var images = Mnist.LoadTrainImages(options.DataFolder, limit: 6000);
        torch.manual_seed(options.Seed);
        using var dcgan = configuration.CreateDcgan();
        var (generator, discriminator) = (dcgan.Generator, dcgan.Discriminator);
        using var generatorOptimizer = optim.Adam(generator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        using var discriminatorOptimizer = optim.Adam(discriminator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        // Timing goes on through a bad step; the count is reported at the end.
        var guard = new NonFiniteGuard(NonFinitePolicy.SkipStep);
        var trainingStep = new DcganStep(generator, discriminator, generatorOptimizer, discriminatorOptimizer, guard, torch.CPU);

        Console.WriteLine(Ready);
        var step = 0L;
        while (Console.ReadLine() is { } line && line != Quit)
        {
            var batch = long.Parse(line, CultureInfo.InvariantCulture);
            using var real = images.index_select(0, randint(0, images.shape[0], [batch / 2]));
            var watch = Stopwatch.StartNew();
            trainingStep.Run(++step, real);
            Console.WriteLine(watch.Elapsed.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture));
        }
        Console.WriteLine(guard.SkippedSteps.ToString(CultureInfo.InvariantCulture));
        return 0;
    }
}
