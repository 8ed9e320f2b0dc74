using System.Diagnostics;
using Models.Mnist.Models;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Bench.Numerics;

/// <summary>Step times of one phase (a run of steps at one batch size); the first steps are warm-up and left out.</summary>
internal sealed record PhaseTiming(long Batch, int Steps, double MedianStepMs, double MinStepMs);

/// <summary>One training run: where it first went non-finite (null: never) and how fast it was.</summary>
internal sealed record TrainingResult(int Seed, string Phases, NonFiniteStep? FirstNonFinite, IReadOnlyList<PhaseTiming> Timings);

/// <summary>
/// The DCGAN recipe of reference-models.md §1 on the generated modules: Adam(2e-4, β1 0.5), BCE;
/// each step trains D on half a batch of real and half of generated images, then G through D on a
/// full batch. Phases like "64x25,256x25" change the batch size in between, as an epoch's last partial
/// batch does. The run stops at the first non-finite loss or gradient and names it.
/// </summary>
internal static class DcganTraining
{
    private const int LatentSize = 100;
    private const int WarmupSteps = 3;

    public static TrainingResult Run(Tensor images, IReadOnlyList<(long Batch, int Steps)> phases, int seed)
    {
        torch.manual_seed(seed);
        using var generator = new DcganGenerator();
        using var discriminator = new DcganDiscriminator();
        using var generatorOptimizer = optim.Adam(generator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        using var discriminatorOptimizer = optim.Adam(discriminator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        var guard = new NonFiniteGuard(NonFinitePolicy.Stop);

        var timings = new List<PhaseTiming>();
        var step = 0L;
        try
        {
            foreach (var (batch, steps) in phases)
            {
                var stepMs = new List<double>();
                for (var i = 0; i < steps; i++, step++)
                {
                    var watch = Stopwatch.StartNew();
                    Step(generator, discriminator, generatorOptimizer, discriminatorOptimizer, guard, images, batch, step);
                    if (i >= WarmupSteps || steps <= WarmupSteps) stepMs.Add(watch.Elapsed.TotalMilliseconds);
                }
                timings.Add(Timing(batch, steps, stepMs));
            }
        }
        catch (NonFiniteTrainingException stopped)
        {
            return new TrainingResult(seed, Describe(phases), stopped.Finding, timings);
        }
        return new TrainingResult(seed, Describe(phases), null, timings);
    }

    public static string Describe(IEnumerable<(long Batch, int Steps)> phases) => string.Join(",", phases.Select(p => $"{p.Batch}x{p.Steps}"));

    private static void Step(DcganGenerator generator, DcganDiscriminator discriminator, optim.Optimizer generatorOptimizer,
                             optim.Optimizer discriminatorOptimizer, NonFiniteGuard guard, Tensor images, long batch, long step)
    {
        using var scope = NewDisposeScope();
        var half = batch / 2;

        var real = images[randint(0, images.shape[0], [half])];
        Tensor fake;
        using (no_grad()) fake = generator.forward(randn(half, LatentSize));
        var labels = cat([ones(half, 1), zeros(half, 1)]);
        discriminatorOptimizer.zero_grad();
        var discriminatorLoss = nn.functional.binary_cross_entropy(discriminator.forward(cat([real, fake])), labels);
        discriminatorLoss.backward();
        if (guard.ShouldStep(step, "d_loss", discriminatorLoss, ("discriminator", discriminator))) discriminatorOptimizer.step();

        // G learns through a frozen D, as Keras' combined model: no weight gradients for D in this pass.
        generatorOptimizer.zero_grad();
        SetTrainable(discriminator, false);
        var generatorLoss = nn.functional.binary_cross_entropy(discriminator.forward(generator.forward(randn(batch, LatentSize))), ones(batch, 1));
        generatorLoss.backward();
        SetTrainable(discriminator, true);
        if (guard.ShouldStep(step, "g_loss", generatorLoss, ("generator", generator))) generatorOptimizer.step();
    }

    private static void SetTrainable(nn.Module model, bool trainable)
    {
        foreach (var parameter in model.parameters()) parameter.requires_grad = trainable;
    }

    private static PhaseTiming Timing(long batch, int steps, List<double> stepMs)
    {
        stepMs.Sort();
        return new PhaseTiming(batch, steps, stepMs.Count == 0 ? double.NaN : stepMs[stepMs.Count / 2], stepMs.Count == 0 ? double.NaN : stepMs[0]);
    }
}
