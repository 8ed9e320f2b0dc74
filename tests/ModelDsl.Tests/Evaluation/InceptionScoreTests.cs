using ModelDsl.Evaluation;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Evaluation;

/// <summary>The Inception score against cases computed by hand.</summary>
public sealed class InceptionScoreTests
{
    private static Tensor OneHot(params long[] classes) => nn.functional.one_hot(tensor(classes), 10).to(ScalarType.Float32);

    [Fact]
    public void Identical_uniform_predictions_score_one()
    {
        using var probabilities = full([20, 10], 0.1f);
        Assert.Equal(1, InceptionScore.Compute(probabilities).Mean, 1e-9);
    }

    [Fact]
    public void Confident_predictions_spread_evenly_over_k_classes_score_k()
    {
        using var probabilities = OneHot(0, 1, 2, 3, 0, 1, 2, 3);
        Assert.Equal(4, InceptionScore.Compute(probabilities).Mean, 1e-9);
    }

    [Fact]
    public void A_two_sample_case_matches_the_hand_computed_value()
    {
        // p(y) = (0.75, 0.25); KL of (0.5, 0.5) is ½ ln(4/3), of (1, 0) is ln(4/3): exp(¾ ln(4/3)).
        using var probabilities = tensor(new float[,] { { 0.5f, 0.5f }, { 1, 0 } });
        Assert.Equal(Math.Pow(4.0 / 3, 0.75), InceptionScore.Compute(probabilities).Mean, 1e-6);
    }

    [Fact]
    public void Splits_report_the_mean_and_population_spread_of_their_scores()
    {
        // First split: two classes evenly (score 2); second: one class only (score 1). The odd row is left out.
        using var probabilities = OneHot(0, 1, 0, 1, 5, 5, 5, 5, 9);
        var score = InceptionScore.Compute(probabilities, splits: 2);
        Assert.Equal(1.5, score.Mean, 1e-9);
        Assert.Equal(0.5, score.StandardDeviation, 1e-9);
        Assert.Equal(2, score.Splits);
    }

    [Fact]
    public void Fewer_samples_than_splits_are_refused()
    {
        using var probabilities = OneHot(1, 2, 3);
        Assert.Throws<ArgumentException>(() => InceptionScore.Compute(probabilities, InceptionScore.DefaultSplits));
    }
}
