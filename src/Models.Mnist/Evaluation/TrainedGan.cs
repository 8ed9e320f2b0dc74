using Models.Mnist.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Evaluation;

/// <summary>A grid of generated digits and how to save it: its layout, the range its pixels are in, and what it shows in words.</summary>
internal sealed record DigitGrid(Tensor Images, int Rows, int Columns, PixelRange Range, string Drawn) : IDisposable
{
    /// <summary>Writes the grid as a PNG file, making its folder when missing.</summary>
    public void Save(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        TensorImages.SaveGrid(Images, file, Rows, Columns, Range);
    }

    public void Dispose() => Images.Dispose();
}

/// <summary>
/// A GAN's networks read back from a checkpoint (<see cref="ModelKind.LoadGan"/>), for what the commands do with a
/// trained generator: draw a grid of digits and be judged by the evaluation suite. Each kind knows how its generator
/// samples (its latent prior, whether it takes a digit, its pixel range).
/// </summary>
internal abstract class TrainedGan : IDisposable
{
    /// <summary>
    /// A grid of digits from latent points of <see cref="DigitGridPlan"/> for <paramref name="seed"/>: <paramref name="count"/>
    /// digits (the kind's default when null), of the <paramref name="digits"/> asked for when the kind draws chosen digits.
    /// </summary>
    public abstract DigitGrid DrawGrid(int? count, IReadOnlyList<int>? digits, int seed);

    /// <summary>Judges the generator (and the discriminator, when loaded) with <paramref name="evaluator"/>.</summary>
    public abstract GanEvaluation Evaluate(GanEvaluator evaluator, int samples, int seed);

    /// <summary>The generator as loaded: its weight average when the file keeps one, unless the live weights were asked for.</summary>
    public abstract nn.Module GeneratorNetwork { get; }

    /// <summary>The discriminator, when it was asked for and the file has it.</summary>
    public abstract nn.Module? DiscriminatorNetwork { get; }

    /// <summary>Whether <see cref="GeneratorNetwork"/> holds the weight average (<c>--ema</c>) rather than the live weights.</summary>
    public bool ReadsWeightAverage { get; protected init; }

    public abstract void Dispose();
}

/// <summary>The networks of one kind of GAN, loaded onto a device.</summary>
internal abstract class TrainedGan<TGenerator, TDiscriminator> : TrainedGan
    where TGenerator : nn.Module
    where TDiscriminator : nn.Module
{
    /// <param name="liveWeights">Read the generator's live weights even when the file keeps their average.</param>
    protected TrainedGan(Func<TGenerator> newGenerator, Func<TDiscriminator> newDiscriminator, string checkpoint, Device device, bool withDiscriminator, bool liveWeights)
    {
        Device = device;
        Generator = newGenerator();
        var saved = Checkpoint.ReadModuleNames(checkpoint);
        // A run that kept an average of G's weights (--ema) is sampled and judged through the average, as during training.
        ReadsWeightAverage = saved.Contains(WeightAverage.CheckpointName) && !liveWeights;
        var generatorName = ReadsWeightAverage ? WeightAverage.CheckpointName : "generator";
        var modules = new Dictionary<string, nn.Module> { [generatorName] = Generator };
        // A file without its discriminator is judged without D's figures.
        if (withDiscriminator && saved.Contains("discriminator"))
            modules["discriminator"] = Discriminator = newDiscriminator();
        try
        {
            Checkpoint.Load(checkpoint, modules);
            Generator.to(device);
            Discriminator?.to(device);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    protected Device Device { get; }
    public TGenerator Generator { get; }
    public TDiscriminator? Discriminator { get; }

    public override nn.Module GeneratorNetwork => Generator;

    public override nn.Module? DiscriminatorNetwork => Discriminator;

    /// <summary>Runs the generator on latent points (and digits) in inference mode, inside a dispose scope that keeps only its result.</summary>
    protected Tensor Generate(Func<TGenerator, Tensor> forward)
    {
        Generator.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return forward(Generator).MoveToOuterDisposeScope();
    }

    public override void Dispose()
    {
        Generator.Dispose();
        Discriminator?.Dispose();
    }
}

/// <summary>A GAN without conditions (DCGAN, DCGAN-BN, MLP): latent points from a standard normal, digits in its pixel range, no say in which digit.</summary>
internal sealed class TrainedUnconditionalGan(UnconditionalNetworks networks, PixelRange pixels, string checkpoint, Device device, bool withDiscriminator, bool liveWeights)
    : TrainedGan<nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>>(networks.NewGenerator, networks.NewDiscriminator, checkpoint, device, withDiscriminator, liveWeights)
{
    /// <summary><paramref name="count"/> digits (default 100) in a square grid.</summary>
    public override DigitGrid DrawGrid(int? count, IReadOnlyList<int>? digits, int seed)
    {
        if (digits is not null) throw new ArgumentException("a GAN without conditions draws no chosen digits", nameof(digits));
        var plan = DigitGridPlan.Unconditional(count, UnconditionalNetworks.LatentSize, seed);
        var images = Generate(generator => generator.forward(tensor(plan.Latent, [plan.Count, plan.LatentSize]).to(Device)));
        return new DigitGrid(images, plan.Rows, plan.Columns, pixels, plan.Drawn);
    }

    public override GanEvaluation Evaluate(GanEvaluator evaluator, int samples, int seed) =>
        evaluator.Evaluate(Generator, Discriminator, networks, pixels, samples, seed);
}

/// <summary>A class-conditional GAN (AC-GAN): latent points of its prior and the digit asked for, digits in [−1, 1].</summary>
internal sealed class TrainedConditionalGan(ConditionalNetworks networks, string checkpoint, Device device, bool withDiscriminator, bool liveWeights)
    : TrainedGan<nn.Module<Tensor, Tensor, Tensor>, nn.Module<Tensor, (Tensor Validity, Tensor ClassLogits)>>(
        networks.NewGenerator, networks.NewDiscriminator, checkpoint, device, withDiscriminator, liveWeights)
{
    /// <summary>What the generator takes and the discriminator gives.</summary>
    public ConditionalNetworks Networks => networks;

    /// <summary>One row of <paramref name="count"/> (default 10) per digit of <paramref name="digits"/> (default 0–9).</summary>
    public override DigitGrid DrawGrid(int? count, IReadOnlyList<int>? digits, int seed)
    {
        var plan = DigitGridPlan.Conditional(count, digits, ConditionalNetworks.LatentSize, networks.Prior, seed);
        var images = Generate(generator => generator.forward(tensor(plan.Latent, [plan.Count, plan.LatentSize]).to(Device), tensor(plan.Digits!).to(Device)));
        return new DigitGrid(images, plan.Rows, plan.Columns, PixelRange.MinusOneToOne, plan.Drawn);
    }

    public override GanEvaluation Evaluate(GanEvaluator evaluator, int samples, int seed) => evaluator.Evaluate(Generator, Discriminator, networks, samples, seed);
}
