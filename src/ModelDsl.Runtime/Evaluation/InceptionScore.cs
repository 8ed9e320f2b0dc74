using static TorchSharp.torch;

namespace ModelDsl.Evaluation;

/// <summary>An Inception score: the mean over splits and their standard deviation (0 for one split).</summary>
/// <param name="Mean">The mean of the splits' scores.</param>
/// <param name="StandardDeviation">The population standard deviation of the splits' scores, as Salimans et al.'s code reports it.</param>
/// <param name="Splits">How many disjoint parts the samples were scored in.</param>
public sealed record InceptionScoreResult(double Mean, double StandardDeviation, int Splits);

/// <summary>
/// The Inception score of class probabilities p(y|x), here from any classifier: exp(E_x[KL(p(y|x) ‖ p(y))]),
/// where p(y) is the mean prediction. It is 1 when every sample gets the same prediction and K when the
/// samples are confidently and evenly spread over K classes.
/// </summary>
public static class InceptionScore
{
    /// <summary>The split count of Salimans et al. (2016).</summary>
    public const int DefaultSplits = 10;

    /// <summary>
    /// Scores an N×K tensor of class probabilities (rows sum to 1), in <paramref name="splits"/> consecutive
    /// parts of ⌊N / splits⌋ rows each (the remainder is left out), and reports their mean and spread.
    /// </summary>
    public static InceptionScoreResult Compute(Tensor probabilities, int splits = 1)
    {
        if (probabilities.dim() != 2)
            throw new ArgumentException($"Expected N×K probabilities, got {string.Join("×", probabilities.shape)}.", nameof(probabilities));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(splits);
        var count = probabilities.shape[0];
        if (count < splits)
            throw new ArgumentException($"{count} samples cannot be scored in {splits} splits.", nameof(splits));
        using var scope = NewDisposeScope();
        var values = probabilities.detach().to(ScalarType.Float64, CPU);
        var size = count / splits;
        var scores = Enumerable.Range(0, splits).Select(split => Score(values.narrow(0, split * size, size))).ToArray();
        var mean = scores.Average();
        return new InceptionScoreResult(mean, Math.Sqrt(scores.Average(s => (s - mean) * (s - mean))), splits);
    }

    private static double Score(Tensor probabilities)
    {
        var marginal = probabilities.mean([0], keepdim: true);
        // xlogy gives 0·log 0 = 0, so classes a sample rules out contribute nothing (as the limit says).
        var divergence = (probabilities.xlogy(probabilities) - probabilities.xlogy(marginal)).sum(1);
        return Math.Exp(divergence.mean().item<double>());
    }
}
