using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// Trains a GAN without conditions (<c>train gan --model dcgan|dcgan-bn|mlp</c>) with <see cref="DcganStep"/>: per
/// step, D learns from half a batch of real images and half a batch of generated ones, then (every step, or every
/// n-th for WGAN-GP) G learns through D on a full batch of latent points; the loss is the one the options name. An
/// epoch is ⌊N / batch⌋ steps, each drawing its real half-batch without replacement from a permutation that depends
/// only on the seed and the epoch, so a resumed run sees the same data as an uninterrupted one. With a time budget
/// (<see cref="GanOptions.Minutes"/>) the run ends at the first step boundary after it, ending the epoch there: the
/// checkpoint records how far the epoch got, and a resumed run trains the rest of it.
/// </summary>
/// <param name="kind">The model: its networks, and the pixel range of its images.</param>
/// <param name="trainingImages">The training images, in the model's pixel range.</param>
/// <param name="evaluation">The evaluation suite to run every few epochs (or steps), or null.</param>
internal sealed class GanTrainer(ModelKind kind, GanOptions options, Tensor trainingImages, IProgressReporter reporter, TrainingEvaluation? evaluation = null)
{
    private readonly UnconditionalNetworks _networks = kind.Unconditional
        ?? throw new ArgumentException($"'{kind}' is no GAN without conditions", nameof(kind));

    public RunFolder Folder { get; } = new(options.OutputFolder);

    /// <summary>The loss the options ask for, for this model's discriminator.</summary>
    public GanLoss Loss => GanLoss.Create(options.Loss, _networks.Output, options.RealLabel ?? 1, options.CriticSteps);

    public void Run(JsonObject runInfo)
    {
        using var session = new GanSession<nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>>(
            options, Folder, reporter, kind, [.. options.LossRecipe(), .. options.OptimizerRecipe(options.Loss == GanLossKind.WganGp ? 0 : kind.Recipe!.EarlierBeta1)], _networks.NewGenerator, _networks.NewDiscriminator, runInfo);
        var (device, generator, discriminator) = (session.Device, session.Generator, session.Discriminator);
        using var images = trainingImages.to(device);

        using var fixedLatent = FixedLatentBatch(options.Seed).to(device);
        var half = Math.Max(1, options.BatchSize / 2);
        var count = trainingImages.shape[0];
        var trainingStep = new DcganStep(generator, discriminator, session.GeneratorOptimizer, session.DiscriminatorOptimizer, session.Guard, device,
            UnconditionalNetworks.LatentSize, Loss);
        long[] permutation = [];
        double accuracyReal = 0, accuracyFake = 0;
        session.Train(new GanEpochs<nn.Module<Tensor, Tensor>>(
            StepsPerEpoch: (int)Math.Max(1, count / options.BatchSize),
            BeginEpoch: epoch =>
            {
                permutation = TrainingRun.EpochPermutation(options.Seed, epoch, count);
                accuracyReal = accuracyFake = 0;
            },
            Step: (i, step) =>
            {
                using var indices = tensor(permutation.AsSpan(i * half, (int)Math.Min(half, count)).ToArray());
                using var real = images.index_select(0, indices.to(device));
                var result = trainingStep.Run(step, real);
                accuracyReal += result.AccuracyReal;
                accuracyFake += result.AccuracyFake;
                return new StepLoss(step, result.DiscriminatorLoss, result.GeneratorLoss);
            },
            AddFigures: (_, trained, history) =>
            {
                history["d_acc_real"] = accuracyReal / Math.Max(1, trained);
                history["d_acc_fake"] = accuracyFake / Math.Max(1, trained);
            },
            Evaluate: (suite, line) => suite.Unconditional(session.SampledGenerator, discriminator, kind, line),
            SampleGrid: g => g.forward(fixedLatent)), evaluation);
    }

    /// <summary>The same 100 latent points every epoch, so sample grids are comparable across epochs (and runs with one seed).</summary>
    private static Tensor FixedLatentBatch(int seed)
    {
        using var random = new torch.Generator((ulong)seed + 7919);
        return randn([100, UnconditionalNetworks.LatentSize], generator: random);
    }
}
