using Models.Mnist.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary>The adversarial losses on hand-computed cases: the gradient penalty, least squares, smoothing, and the refused combinations.</summary>
public sealed class GanLossTests
{
    /// <summary>D(x) = w · Σ x², whose gradient 2w·x is known everywhere.</summary>
    private static Func<Tensor, Tensor> SquareCritic(Tensor weight) => x => weight * x.square().sum(1, keepdim: true);

    [Fact]
    public void The_gradient_penalty_equals_the_hand_computed_value_and_reaches_the_critics_weights()
    {
        using var scope = NewDisposeScope();
        var weight = tensor(1f).requires_grad_(true);
        var real = tensor(new float[,] { { 1, 2 }, { 0, 0 } });
        var fake = tensor(new float[,] { { 3, 4 }, { 0.3f, 0.4f } });
        var mixing = tensor(new float[,] { { 0.25f }, { 0.5f } });

        var penalty = WassersteinGradientPenaltyLoss.GradientPenalty(SquareCritic(weight), real, fake, mixing);

        // x̂ = (2.5, 3.5) and (0.15, 0.2); ∇ = 2x̂ = (5, 7) and (0.3, 0.4), of norms √74 and 0.5.
        var norm = Math.Sqrt(74);
        Assert.Equal(((norm - 1) * (norm - 1) + 0.25) / 2, penalty.item<float>(), 4);
        // create_graph: d/dw of mean((w·‖∇‖ − 1)²) at w = 1 is mean(2(‖∇‖ − 1)·‖∇‖).
        penalty.backward();
        Assert.Equal((2 * (norm - 1) * norm + 2 * (0.5 - 1) * 0.5) / 2, weight.grad!.item<float>(), 3);
    }

    [Fact]
    public void Wasserstein_losses_are_the_score_differences_plus_the_weighted_penalty()
    {
        using var scope = NewDisposeScope();
        var loss = GanLoss.Create(GanLossKind.WganGp, DiscriminatorOutput.Logit, criticSteps: 3);
        Assert.Equal(3, loss.CriticSteps);
        var realScores = tensor(new float[,] { { 2 }, { 4 } });
        var fakeScores = tensor(new float[,] { { -1 }, { 1 } });
        // A critic with gradient norm 1 everywhere (D(x) = x₁) has no penalty: the loss is E[D(fake)] − E[D(real)].
        var real = randn(2, 3);
        var fake = randn(2, 3);
        var critic = (Tensor x) => x.narrow(1, 0, 1);
        Assert.Equal(0 - 3, loss.Discriminator(realScores, fakeScores, critic, real, fake).item<float>(), 5);
        Assert.Equal(-0f, loss.Generator(fakeScores).item<float>(), 6);
    }

    [Fact]
    public void Least_squares_and_cross_entropy_use_the_smoothed_real_label()
    {
        using var scope = NewDisposeScope();
        var realScores = tensor(new float[,] { { 0.9f }, { 0.5f } });
        var fakeScores = tensor(new float[,] { { 0.1f }, { 0.5f } });
        Func<Tensor, Tensor> unused = x => throw new InvalidOperationException("only WGAN-GP reads D again");
        var leastSquares = GanLoss.Create(GanLossKind.Lsgan, DiscriminatorOutput.Probability, realLabel: 0.9);
        // ½·mean((0, −0.4)²) + ½·mean((0.1, 0.5)²) = ½·0.08 + ½·0.13.
        Assert.Equal(0.105, leastSquares.Discriminator(realScores, fakeScores, unused, realScores, fakeScores).item<float>(), 5);
        Assert.Equal(0.5 * (0.81 + 0.25) / 2, leastSquares.Generator(fakeScores).item<float>(), 5);

        var onLogits = GanLoss.Create(GanLossKind.Bce, DiscriminatorOutput.Logit, realLabel: 0.9);
        var onProbabilities = GanLoss.Create(GanLossKind.Bce, DiscriminatorOutput.Probability, realLabel: 0.9);
        // The same loss whether D gives logits or their sigmoid.
        Assert.Equal(
            onProbabilities.Discriminator(realScores.sigmoid(), fakeScores.sigmoid(), unused, realScores, fakeScores).item<float>(),
            onLogits.Discriminator(realScores, fakeScores, unused, realScores, fakeScores).item<float>(), 5);
        Assert.Equal(0, onLogits.RealAbove);
        Assert.Equal(0.5, onProbabilities.RealAbove);
    }

    [Fact]
    public void Combinations_that_mean_nothing_are_refused()
    {
        Assert.Throws<ArgumentException>(() => GanLoss.Create(GanLossKind.WganGp, DiscriminatorOutput.Probability));
        Assert.Throws<ArgumentException>(() => GanLoss.Create(GanLossKind.WganGp, DiscriminatorOutput.Logit, realLabel: 0.9));
        Assert.Throws<ArgumentException>(() => GanLoss.Create(GanLossKind.Bce, DiscriminatorOutput.Logit, criticSteps: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => GanLoss.Create(GanLossKind.WganGp, DiscriminatorOutput.Logit, criticSteps: 0));
    }
}
