using System.Diagnostics;
using Models.Mnist.Models;
using Models.Mnist.Training;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Bench.Numerics;

/// <summary>Step times of one phase (a run of steps at one batch size); the first steps are warm-up and left out.</summary>
internal sealed record PhaseTiming(long Batch, int Steps, double MedianStepMs, double MinStepMs);

/// <summary>One training run: where it first went non-finite (null: never) and how fast it was.</summary>
internal sealed record TrainingResult(int Seed, string Phases, NonFiniteStep? FirstNonFinite, IReadOnlyList<PhaseTiming> Timings);

/// <summary>
/// The app's own DCGAN step (<see cref="DcganStep"/>: the recipe of reference-models.md §1 on the generated
/// modules) in phases like "64x25,32x1,64x5", which change the batch size as an epoch's last partial batch
/// does. The run stops at the first non-finite loss or gradient, which the guard names.
/// </summary>
internal static class DcganTraining
{
    private const int WarmupSteps = 3;

    public static TrainingResult Run(Tensor images, IReadOnlyList<(long Batch, int Steps)> phases, int seed)
    {
        torch.manual_seed(seed);
        using var generator = new DcganGenerator();
        using var discriminator = new DcganDiscriminator();
        using var generatorOptimizer = optim.Adam(generator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        using var discriminatorOptimizer = optim.Adam(discriminator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        var trainingStep = new DcganStep(generator, discriminator, generatorOptimizer, discriminatorOptimizer, new NonFiniteGuard(NonFinitePolicy.Stop), torch.CPU);

        var timings = new List<PhaseTiming>();
        var step = 0L;
        try
        {
            foreach (var (batch, steps) in phases)
            {
                var stepMs = new List<double>();
                for (var i = 0; i < steps; i++)
                {
                    using var real = images.index_select(0, randint(0, images.shape[0], [batch / 2]));
                    var watch = Stopwatch.StartNew();
                    trainingStep.Run(++step, real);
                    if (i >= WarmupSteps || steps <= WarmupSteps) stepMs.Add(watch.Elapsed.TotalMilliseconds);
                }
                stepMs.Sort();
                timings.Add(new PhaseTiming(batch, steps, stepMs[stepMs.Count / 2], stepMs[0]));
            }
        }
        catch (NonFiniteTrainingException stopped)
        {
            return new TrainingResult(seed, Describe(phases), stopped.Finding, timings);
        }
        return new TrainingResult(seed, Describe(phases), null, timings);
    }

    public static string Describe(IEnumerable<(long Batch, int Steps)> phases) => string.Join(",", phases.Select(p => $"{p.Batch}x{p.Steps}"));
}
