using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>What a discriminator gives: a probability (it ends in a sigmoid) or an unbounded score (a logit, or a WGAN critic's value).</summary>
public enum DiscriminatorOutput
{
    Probability,
    Logit,
}

/// <summary>The adversarial losses <c>train gan --loss</c> offers.</summary>
public enum GanLossKind
{
    /// <summary>Binary cross-entropy, G non-saturating (Goodfellow et al.; every recipe's own).</summary>
    Bce,
    /// <summary>Least squares (Mao et al., LSGAN): targets 1 for real and 0 for generated images.</summary>
    Lsgan,
    /// <summary>Wasserstein distance with a gradient penalty (Gulrajani et al., WGAN-GP); needs a critic without a sigmoid.</summary>
    WganGp,
}

/// <summary>
/// The adversarial loss of one GAN step: D's loss from its scores of a real and a generated batch, G's from D's scores of
/// its images. <see cref="DcganStep"/> runs the networks and the optimizers and asks the loss only for these numbers.
/// </summary>
public abstract class GanLoss
{
    /// <summary>As <c>--loss</c> spells it.</summary>
    public abstract GanLossKind Kind { get; }

    /// <summary>The score above which D calls an image real (for D's accuracy).</summary>
    public abstract double RealAbove { get; }

    /// <summary>D (critic) steps per G step: G learns on every N-th step only.</summary>
    public virtual int CriticSteps => 1;

    /// <summary>D's loss for its N×1 scores of real and generated images.</summary>
    /// <param name="critic">D itself, for losses that look at more than these scores (the gradient penalty).</param>
    /// <param name="real">The real images scored.</param>
    /// <param name="fake">The generated images scored (detached from G).</param>
    public abstract Tensor Discriminator(Tensor realScores, Tensor fakeScores, Func<Tensor, Tensor> critic, Tensor real, Tensor fake);

    /// <summary>G's loss for D's N×1 scores of G's images.</summary>
    public abstract Tensor Generator(Tensor fakeScores);

    /// <summary>The loss <paramref name="kind"/> for a discriminator that gives <paramref name="output"/>.</summary>
    /// <param name="realLabel">D's target for real images (one-sided label smoothing below 1); BCE and LSGAN only.</param>
    /// <param name="criticSteps">WGAN-GP only: critic steps per generator step.</param>
    public static GanLoss Create(GanLossKind kind, DiscriminatorOutput output, double realLabel = 1, int criticSteps = 1)
    {
        if (kind != GanLossKind.WganGp && criticSteps != 1)
            throw new ArgumentException($"critic steps are WGAN-GP's; {kind} takes one D step per G step", nameof(criticSteps));
        return kind switch
        {
            GanLossKind.Bce => new BinaryCrossEntropyGanLoss(output, realLabel),
            GanLossKind.Lsgan => new LeastSquaresGanLoss(output, realLabel),
            GanLossKind.WganGp when output == DiscriminatorOutput.Probability =>
                throw new ArgumentException("WGAN-GP needs a critic without a sigmoid, and this discriminator ends in one", nameof(output)),
            GanLossKind.WganGp when realLabel != 1 => throw new ArgumentException("WGAN-GP has no labels to smooth", nameof(realLabel)),
            GanLossKind.WganGp => new WassersteinGradientPenaltyLoss(criticSteps),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such loss"),
        };
    }

    /// <summary>D's targets: <paramref name="realLabel"/> for each real score, 0 for each generated one.</summary>
    protected static (Tensor Real, Tensor Fake) Targets(Tensor realScores, Tensor fakeScores, double realLabel) =>
        (full_like(realScores, realLabel), zeros_like(fakeScores));
}

/// <summary>
/// Binary cross-entropy: D learns real images as <c>realLabel</c> (1, or less for one-sided label smoothing) and generated
/// ones as 0, G learns its images as 1 (the non-saturating loss). On probabilities through <see cref="GuardedLoss"/>, on
/// logits with libtorch's stable sigmoid-and-cross-entropy. D's loss is the mean over both batches together.
/// </summary>
public sealed class BinaryCrossEntropyGanLoss(DiscriminatorOutput output, double realLabel = 1) : GanLoss
{
    public override GanLossKind Kind => GanLossKind.Bce;

    public override double RealAbove => output == DiscriminatorOutput.Probability ? 0.5 : 0;

    public override Tensor Discriminator(Tensor realScores, Tensor fakeScores, Func<Tensor, Tensor> critic, Tensor real, Tensor fake)
    {
        var (realTarget, fakeTarget) = Targets(realScores, fakeScores, realLabel);
        return Loss(cat([realScores, fakeScores], 0), cat([realTarget, fakeTarget], 0));
    }

    public override Tensor Generator(Tensor fakeScores) => Loss(fakeScores, ones_like(fakeScores));

    private Tensor Loss(Tensor scores, Tensor targets) => Of(output, scores, targets);

    /// <summary>The mean binary cross-entropy of a discriminator's <paramref name="scores"/> (as <paramref name="output"/> says) against <paramref name="targets"/>.</summary>
    public static Tensor Of(DiscriminatorOutput output, Tensor scores, Tensor targets) => output == DiscriminatorOutput.Probability
        ? GuardedLoss.BinaryCrossEntropy(scores, targets)
        : nn.functional.binary_cross_entropy_with_logits(scores, targets);
}

/// <summary>
/// LSGAN's least squares with targets a = 0, b = 1 (or the smoothed real label), c = 1: D's loss is
/// ½·E[(D(x) − b)²] + ½·E[(D(G(z)) − a)²], G's ½·E[(D(G(z)) − c)²], on D's output as it is (a probability, or the
/// linear output of a logits model, as the paper's discriminators have).
/// </summary>
public sealed class LeastSquaresGanLoss(DiscriminatorOutput output, double realLabel = 1) : GanLoss
{
    public override GanLossKind Kind => GanLossKind.Lsgan;

    // Halfway between the targets.
    public override double RealAbove => output == DiscriminatorOutput.Probability ? 0.5 : realLabel / 2;

    public override Tensor Discriminator(Tensor realScores, Tensor fakeScores, Func<Tensor, Tensor> critic, Tensor real, Tensor fake)
    {
        var (realTarget, fakeTarget) = Targets(realScores, fakeScores, realLabel);
        return (nn.functional.mse_loss(realScores, realTarget) + nn.functional.mse_loss(fakeScores, fakeTarget)) / 2;
    }

    public override Tensor Generator(Tensor fakeScores) => nn.functional.mse_loss(fakeScores, ones_like(fakeScores)) / 2;
}

/// <summary>
/// WGAN-GP (Gulrajani et al. 2017, Algorithm 1): the critic's loss is E[D(G(z))] − E[D(x)] + λ·E[(‖∇D(x̂)‖₂ − 1)²] over
/// x̂ = αx + (1 − α)G(z), α ~ U(0, 1) per sample, λ = 10; G's loss is −E[D(G(z))]; the critic takes
/// <see cref="CriticSteps"/> steps per generator step (the paper's 5).
/// </summary>
public sealed class WassersteinGradientPenaltyLoss(int criticSteps = WassersteinGradientPenaltyLoss.DefaultCriticSteps) : GanLoss
{
    public const int DefaultCriticSteps = 5;
    public const double PenaltyWeight = 10;

    public override GanLossKind Kind => GanLossKind.WganGp;

    // A critic's score has no fixed scale; its sign is what D's accuracy reads.
    public override double RealAbove => 0;

    public override int CriticSteps { get; } = criticSteps >= 1 ? criticSteps : throw new ArgumentOutOfRangeException(nameof(criticSteps), criticSteps, "at least one critic step");

    public override Tensor Discriminator(Tensor realScores, Tensor fakeScores, Func<Tensor, Tensor> critic, Tensor real, Tensor fake)
    {
        var mixing = rand([real.shape[0], .. Enumerable.Repeat(1L, (int)real.dim() - 1)], device: real.device);
        return fakeScores.mean() - realScores.mean() + PenaltyWeight * GradientPenalty(critic, real, fake, mixing);
    }

    public override Tensor Generator(Tensor fakeScores) => -fakeScores.mean();

    /// <summary>
    /// E[(‖∇D(x̂)‖₂ − 1)²] at x̂ = α·real + (1 − α)·fake for the given per-sample <paramref name="mixing"/> α; the gradient
    /// keeps its graph (create_graph), so the penalty's own gradient reaches the critic's weights.
    /// </summary>
    public static Tensor GradientPenalty(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, Tensor mixing)
    {
        var between = (mixing * real + (1 - mixing) * fake.detach()).detach().requires_grad_(true);
        var scores = critic(between);
        var gradient = autograd.grad([scores], [between], [ones_like(scores)], retain_graph: true, create_graph: true)[0];
        return (linalg.vector_norm(gradient.flatten(1), 2, [1]) - 1).square().mean();
    }
}
