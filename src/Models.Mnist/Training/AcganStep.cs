using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>One network's losses in an AC-GAN step: binary cross-entropy on real/fake, cross-entropy on the class.</summary>
public readonly record struct AcganLosses(double Validity, double Class)
{
    /// <summary>Both terms with equal weight, as Keras' mnist_acgan compiles them (a class weight w minimises Validity + w·Class instead).</summary>
    public double Total => Validity + Class;
}

/// <summary>What one AC-GAN step measured: D's losses on real and generated images, G's through the frozen D.</summary>
public readonly record struct AcganStepResult(AcganLosses Discriminator, AcganLosses Generator);

/// <summary>How D's targets are set in training (evaluation always uses the plain targets, as Keras does).</summary>
public enum AcganRecipe
{
    /// <summary>
    /// Keras' mnist_acgan as published: real images aim at validity 0.95 (one-sided label smoothing), and the class
    /// head learns from the real images only (weighted 2 so the class loss keeps its scale), not from generated ones.
    /// The default: the study in docs/acgan-recipe.md found the plain wording rarely trains.
    /// </summary>
    Keras,

    /// <summary>reference-models.md §2 to the letter: validity 1 for real, 0 for generated; the class head learns the true classes of real images and the sampled classes of generated ones.</summary>
    Reference,

    /// <summary>
    /// The projection discriminator of Miyato &amp; Koyama (2018) on the same two heads: D's real/fake logit for an image
    /// and a digit is its validity logit plus its class logit of that digit (the features' inner product with the
    /// digit's embedding, plus the digit's bias), the digit being the true one of a real image and the requested one of
    /// a generated image. Real images aim at Keras' 0.95; the class head learns only through that logit unless
    /// <c>--class-weight</c> adds the cross-entropy of Keras' recipe. It needs a validity logit, not a probability.
    /// </summary>
    Projection,
}

/// <summary>Where a generator's latent points come from.</summary>
public enum LatentPrior
{
    /// <summary>Uniform on [−1, 1] (Keras' mnist_acgan).</summary>
    Uniform,

    /// <summary>The standard normal (the DCGAN recipes).</summary>
    Normal,
}

/// <summary>Drawing latent points from a <see cref="LatentPrior"/>.</summary>
public static class LatentPriors
{
    /// <summary><paramref name="count"/>×<paramref name="size"/> points from libtorch's global generator, on <paramref name="device"/>.</summary>
    public static Tensor Draw(this LatentPrior prior, long count, long size, Device device) =>
        prior == LatentPrior.Uniform ? rand(count, size, device: device) * 2 - 1 : randn(count, size, device: device);

    /// <summary><paramref name="count"/>×<paramref name="size"/> points from <paramref name="random"/>, on the CPU (a seeded draw that no training step shares).</summary>
    public static Tensor Draw(this LatentPrior prior, long count, long size, torch.Generator random) =>
        prior == LatentPrior.Uniform ? rand([count, size], generator: random) * 2 - 1 : randn([count, size], generator: random);
}

/// <summary>
/// One step of the AC-GAN recipe (reference-models.md §2) on any generator/discriminator pair: the trainer runs
/// the DSL models through it, the benchmark also hand-written ones. D learns from the real batch (validity 1, true
/// classes) and as many generated images of random classes (validity 0) in one batch, with the targets of
/// <see cref="AcganRecipe"/>; then G learns through a frozen D on twice as many latent points, uniform in [−1, 1],
/// of random classes, aiming at validity 1 and the sampled class. D's class head gives logits: the cross-entropy
/// applies the softmax (Keras' softmax head with sparse categorical cross-entropy, computed stably). D's validity head
/// gives a probability (Keras' sigmoid) or a logit (<paramref name="validityOutput"/>), each with its binary cross-entropy.
/// </summary>
/// <param name="realLabel">D's validity target for real images; null: the recipe's (1 for the reference, else Keras' 0.95).</param>
/// <param name="classWeight">The class part's weight in both networks' minimised losses; null: the recipe's (<see cref="ClassWeightOf"/>).</param>
/// <param name="generatorClassWeight">The class part's weight in G's loss alone; null: <paramref name="classWeight"/>.</param>
/// <param name="modeSeekingWeight">
/// The weight of the mode-seeking term in G's loss (0: none): G's latent points come in pairs of the same digit, and
/// G is rewarded for drawing the two of a pair apart (<see cref="ModeSeekingTerm"/>).
/// </param>
public sealed class AcganStep(
    nn.Module<Tensor, Tensor, Tensor> generator,
    nn.Module<Tensor, (Tensor Validity, Tensor ClassLogits)> discriminator,
    OptimizerHelper generatorOptimizer,
    OptimizerHelper discriminatorOptimizer,
    NonFiniteGuard guard,
    Device device,
    long latentSize = 100,
    long classCount = 10,
    AcganRecipe recipe = AcganRecipe.Keras,
    DiscriminatorOutput validityOutput = DiscriminatorOutput.Probability,
    LatentPrior prior = LatentPrior.Uniform,
    double? realLabel = null,
    double? classWeight = null,
    double? generatorClassWeight = null,
    double modeSeekingWeight = 0)
{
    private const double KerasRealLabel = 0.95;

    /// <summary>D's validity target for real images that <paramref name="recipe"/> sets unless told otherwise.</summary>
    public static double RealLabelOf(AcganRecipe recipe) => recipe == AcganRecipe.Reference ? 1 : KerasRealLabel;

    /// <summary>The class part's weight that <paramref name="recipe"/> sets unless told otherwise: none for the projection, whose logit carries the digit.</summary>
    public static double ClassWeightOf(AcganRecipe recipe) => recipe == AcganRecipe.Projection ? 0 : 1;

    /// <summary>
    /// Whether D's validity head alone says real or fake; with a projection the verdict needs the digit too, so D's
    /// accuracy (which the evaluation reads from the validity head) is not measured.
    /// </summary>
    public static bool ValidityHeadDecides(AcganRecipe recipe) => recipe != AcganRecipe.Projection;

    /// <summary>The projection discriminator's real/fake logits (B×1): each image's validity logit plus its class logit of <paramref name="classes"/> (B int64).</summary>
    public static Tensor ProjectionLogits(Tensor validity, Tensor classLogits, Tensor classes) =>
        validity + classLogits.gather(1, classes.unsqueeze(1));

    private readonly double _realLabel = realLabel ?? RealLabelOf(recipe);

    private readonly bool _projection = recipe == AcganRecipe.Projection && validityOutput != DiscriminatorOutput.Logit
        ? throw new ArgumentException("a projection discriminator adds a class logit to the validity logit: its validity head must give a logit, not a probability", nameof(validityOutput))
        : recipe == AcganRecipe.Projection;

    private readonly double _classWeight = classWeight ?? ClassWeightOf(recipe);

    private double GeneratorClassWeight => generatorClassWeight ?? _classWeight;

    private readonly CrossEntropyLoss _classLoss = nn.CrossEntropyLoss();

    /// <summary>
    /// Trains on <paramref name="realImages"/> (B×1×28×28 in [−1, 1]) and their <paramref name="realClasses"/> (B int64),
    /// both on the models' device; <paramref name="step"/> names the step in guard messages.
    /// </summary>
    public AcganStepResult Run(long step, Tensor realImages, Tensor realClasses)
    {
        using var scope = NewDisposeScope();
        // Batch-norm statistics move in every forward pass; a skipped step puts them back.
        using var generatorBuffers = guard.KeepBuffers(generator);
        using var discriminatorBuffers = guard.KeepBuffers(discriminator);
        var batch = realImages.shape[0];

        // G's graph is not needed for D's step, so it is not built.
        var sampledClasses = RandomClasses(batch);
        Tensor fakeImages;
        using (no_grad()) fakeImages = generator.forward(Latent(batch), sampledClasses);
        var (validity, classLogits) = discriminator.forward(cat([realImages, fakeImages], 0));
        var classes = cat([realClasses, sampledClasses], 0);
        var validityTarget = RealThenFake(batch, _realLabel);
        (Tensor Validity, Tensor Class) discriminatorLosses = recipe == AcganRecipe.Reference
            ? Losses(validity, validityTarget, classLogits, classes)
            : (ValidityLoss(AdversarialLogits(validity, classLogits, classes), validityTarget), _classLoss.forward(classLogits.narrow(0, 0, batch), realClasses));
        var discriminatorLoss = discriminatorLosses.Validity + _classWeight * discriminatorLosses.Class;
        discriminatorOptimizer.zero_grad();
        discriminatorLoss.backward();
        if (guard.ShouldStep(step, "d_loss", discriminatorLoss, ("discriminator", discriminator)))
            discriminatorOptimizer.step();
        else
            discriminatorBuffers.Restore();

        // A frozen D, as Keras' combined model: D's weight gradients are neither computed nor applied,
        // while D still passes gradients on to G.
        SetTrainable(discriminator, false);
        var (generatorLosses, modeSeeking) = GeneratorLosses(2 * batch);
        var generatorLoss = generatorLosses.Validity + GeneratorClassWeight * generatorLosses.Class;
        if (modeSeeking is not null) generatorLoss += modeSeekingWeight * modeSeeking;
        generatorOptimizer.zero_grad();
        generatorLoss.backward();
        SetTrainable(discriminator, true);
        if (guard.ShouldStep(step, "g_loss", generatorLoss, ("generator", generator)))
            generatorOptimizer.step();
        else
            generatorBuffers.Restore();

        return new AcganStepResult(Values(discriminatorLosses), Values(generatorLosses));
    }

    /// <summary>
    /// The same two losses without learning (call it under no_grad with both networks in eval mode): D's on
    /// <paramref name="realImages"/> and as many generated images, G's through D on twice as many latent points;
    /// latent points and classes come from <paramref name="random"/>, so an evaluation can be repeated exactly.
    /// </summary>
    public AcganStepResult Evaluate(Tensor realImages, Tensor realClasses, torch.Generator random)
    {
        using var scope = NewDisposeScope();
        var batch = realImages.shape[0];
        var sampledClasses = RandomClasses(batch, random);
        var (validity, classLogits) = discriminator.forward(cat([realImages, generator.forward(Latent(batch, random), sampledClasses)], 0));
        var discriminatorLosses = Losses(validity, RealThenFake(batch), classLogits, cat([realClasses, sampledClasses], 0));
        return new AcganStepResult(Values(discriminatorLosses), Values(GeneratorLosses(2 * batch, random).Losses));
    }

    /// <summary>
    /// G's losses through D on <paramref name="count"/> latent points of random classes: validity 1 and the sampled class
    /// are its aims. With a mode-seeking weight the second half repeats the first half's classes, and the term is given too.
    /// </summary>
    private ((Tensor Validity, Tensor Class) Losses, Tensor? ModeSeeking) GeneratorLosses(long count, torch.Generator? random = null)
    {
        var (paired, half) = (modeSeekingWeight > 0, count / 2);
        var classes = paired ? RandomClasses(half, random).repeat(2) : RandomClasses(count, random);
        var latent = Latent(count, random);
        var images = generator.forward(latent, classes);
        var (validity, classLogits) = discriminator.forward(images);
        var losses = Losses(validity, ones(count, 1, device: device), classLogits, classes);
        return paired
            ? (losses, ModeSeekingTerm(images.narrow(0, 0, half), images.narrow(0, half, half), latent.narrow(0, 0, half), latent.narrow(0, half, half)))
            : (losses, null);
    }

    /// <summary>
    /// The mode-seeking term of Mao et al. (2019, MSGAN): 1 / (r + 10⁻⁵), r = mean|G(z₁) − G(z₂)| / mean|z₁ − z₂| over the
    /// pairs (same digit, two latent points). A generator that draws one image for many points makes r small and the
    /// term large; minimising it spreads each digit's images as its latent points spread.
    /// </summary>
    public static Tensor ModeSeekingTerm(Tensor firstImages, Tensor secondImages, Tensor firstLatent, Tensor secondLatent)
    {
        var ratio = (firstImages - secondImages).abs().mean() / (firstLatent - secondLatent).abs().mean();
        return 1 / (ratio + 1e-5);
    }

    /// <summary>The validity targets of a batch of real images (<paramref name="realLabel"/>, plain 1) followed by as many generated ones (0).</summary>
    private Tensor RealThenFake(long batch, double realLabel = 1) => cat([full(batch, 1, realLabel, device: device), zeros(batch, 1, device: device)], 0);

    private (Tensor Validity, Tensor Class) Losses(Tensor validity, Tensor validityTarget, Tensor classLogits, Tensor classTarget) =>
        (ValidityLoss(AdversarialLogits(validity, classLogits, classTarget), validityTarget), _classLoss.forward(classLogits, classTarget));

    /// <summary>What D's real/fake loss reads for images of <paramref name="classes"/>: the validity head's output, or with a projection its logits.</summary>
    private Tensor AdversarialLogits(Tensor validity, Tensor classLogits, Tensor classes) =>
        _projection ? ProjectionLogits(validity, classLogits, classes) : validity;

    private Tensor ValidityLoss(Tensor validity, Tensor target) => BinaryCrossEntropyGanLoss.Of(validityOutput, validity, target);

    // Read only at the end, so a GPU step is not stalled halfway.
    private static AcganLosses Values((Tensor Validity, Tensor Class) losses) => new(losses.Validity.item<float>(), losses.Class.item<float>());

    private Tensor Latent(long count, torch.Generator? random = null) =>
        random is null ? prior.Draw(count, latentSize, device) : prior.Draw(count, latentSize, random).to(device);

    private Tensor RandomClasses(long count, torch.Generator? random = null) =>
        random is null ? randint(0, classCount, [count], ScalarType.Int64, device: device) : randint(0, classCount, [count], ScalarType.Int64, generator: random).to(device);

    private static void SetTrainable(nn.Module module, bool trainable)
    {
        foreach (var parameter in module.parameters()) parameter.requires_grad = trainable;
    }
}
