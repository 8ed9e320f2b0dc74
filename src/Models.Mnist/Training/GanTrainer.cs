using System.Diagnostics;
using Models.Mnist.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// The basic MNIST GAN recipe: per step, D learns from half a batch of real images (label 1) and half a
/// batch of generated ones (label 0); then G learns through D on a full batch of latent points labelled 1.
/// An epoch is ⌊N / batch⌋ steps, each drawing its real half-batch without replacement from a permutation
/// that depends only on the seed and the epoch, so a resumed run sees the same data as an uninterrupted one.
/// </summary>
/// <param name="trainingImages">The training images, in [0, 1].</param>
/// <param name="evaluation">The evaluation suite to run every few epochs, or null.</param>
internal sealed class DcganTrainer(GanOptions options, Tensor trainingImages, IProgressReporter reporter, TrainingEvaluation? evaluation = null)
{
    public const int LatentSize = 100;
    private const int GridSide = 10;

    public RunFolder Folder { get; } = new(options.OutputFolder);

    public void Run(JsonObject runInfo)
    {
        using var session = new GanSession<DcganGenerator, DcganDiscriminator>(
            options, Folder, reporter, ModelKind.Dcgan, [], () => new DcganGenerator(), () => new DcganDiscriminator(), runInfo);
        var (device, generator, discriminator) = (session.Device, session.Generator, session.Discriminator);
        var step = session.StepsTaken;
        using var images = trainingImages.to(device);

        using var fixedLatent = FixedLatentBatch(options.Seed).to(device);
        var half = Math.Max(1, options.BatchSize / 2);
        var count = trainingImages.shape[0];
        var steps = (int)Math.Max(1, count / options.BatchSize);
        var guard = new NonFiniteGuard(options.OnNonFinite);
        var trainingStep = new DcganStep(generator, discriminator, session.GeneratorOptimizer, session.DiscriminatorOptimizer, guard, device, LatentSize);

        for (var epoch = session.StartEpoch; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var skippedBefore = guard.SkippedSteps;
            var permutation = TrainingRun.EpochPermutation(options.Seed, epoch, count);
            var stepLosses = new List<StepLoss>(steps);
            double accuracyReal = 0, accuracyFake = 0;
            generator.train();
            discriminator.train();
            reporter.EpochStarted(epoch, options.Epochs, steps);
            for (var i = 0; i < steps; i++)
            {
                step++;
                using var indices = tensor(permutation.AsSpan(i * half, (int)Math.Min(half, count)).ToArray());
                using var real = images.index_select(0, indices.to(device));
                var result = trainingStep.Run(step, real);
                accuracyReal += result.AccuracyReal;
                accuracyFake += result.AccuracyFake;
                var stepLoss = new StepLoss(step, result.DiscriminatorLoss, result.GeneratorLoss);
                stepLosses.Add(stepLoss);
                reporter.StepDone(i + 1, stepLoss.Figures());
            }

            var history = new JsonObject
            {
                ["epoch"] = epoch,
                ["step"] = step,
                ["d_loss"] = TrainingRun.FiniteMean(stepLosses.Select(l => l.DiscriminatorLoss)),
                ["g_loss"] = TrainingRun.FiniteMean(stepLosses.Select(l => l.GeneratorLoss)),
                ["d_acc_real"] = accuracyReal / steps,
                ["d_acc_fake"] = accuracyFake / steps,
                ["skipped_steps"] = guard.SkippedSteps - skippedBefore,
                ["steps"] = steps,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            };
            if (evaluation?.Due(epoch, options.Epochs) == true)
            {
                var evaluationClock = Stopwatch.StartNew();
                evaluation.Dcgan(generator, discriminator, history);
                history["evaluation_seconds"] = Math.Round(evaluationClock.Elapsed.TotalSeconds, 3);
            }
            if (session.SamplesDue(epoch))
                session.SaveSamples(epoch, g => g.forward(fixedLatent), GridSide, GridSide, PixelRange.ZeroToOne);
            session.EndEpoch(epoch, step, stepLosses, history);
        }
    }

    /// <summary>The same 100 latent points every epoch, so sample grids are comparable across epochs (and runs with one seed).</summary>
    private static Tensor FixedLatentBatch(int seed)
    {
        using var random = new torch.Generator((ulong)seed + 7919);
        return randn([GridSide * GridSide, LatentSize], generator: random);
    }
}
