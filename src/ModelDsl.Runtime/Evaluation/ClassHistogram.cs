using static TorchSharp.torch;

namespace ModelDsl.Evaluation;

/// <summary>
/// How many samples a classifier put in each class. A generator that has collapsed onto a few modes shows here
/// as classes it never or seldom produces.
/// </summary>
public sealed class ClassHistogram
{
    private ClassHistogram(long[] counts) => Counts = counts;

    /// <summary>Samples per class, indexed by class.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>All samples counted.</summary>
    public long Total => Counts.Sum();

    /// <summary>Each class's fraction of <see cref="Total"/>.</summary>
    public IReadOnlyList<double> Shares => Counts.Select(c => Total == 0 ? 0.0 : (double)c / Total).ToArray();

    /// <summary>The smallest class share.</summary>
    public double MinShare => Shares.Min();

    /// <summary>The largest class share.</summary>
    public double MaxShare => Shares.Max();

    /// <summary>
    /// True when some class gets less than half or more than twice an even share (1 / K): far outside what the
    /// real MNIST test set shows (8.9% to 11.4% of its predictions per class).
    /// </summary>
    public bool SuggestsModeCollapse => MinShare < 0.5 / Counts.Count || MaxShare > 2.0 / Counts.Count;

    /// <summary>Counts an N tensor of predicted class indices (int64) into <paramref name="classes"/> bins.</summary>
    public static ClassHistogram Of(Tensor predictedClasses, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        using var scope = NewDisposeScope();
        var indices = predictedClasses.detach().to(ScalarType.Int64, CPU).flatten();
        if (indices.numel() > 0 && (indices.min().item<long>() < 0 || indices.max().item<long>() >= classes))
            throw new ArgumentException($"Class indices must lie in 0..{classes - 1}.", nameof(predictedClasses));
        return new ClassHistogram(indices.bincount(null, classes).data<long>().ToArray());
    }

    /// <summary>
    /// Pearson's χ² of these counts against the counts <paramref name="expectedShares"/> (positive, summing to 1)
    /// predict for <see cref="Total"/> samples.
    /// </summary>
    public double ChiSquare(IReadOnlyList<double> expectedShares)
    {
        if (expectedShares.Count != Counts.Count)
            throw new ArgumentException($"{expectedShares.Count} expected shares for {Counts.Count} classes.", nameof(expectedShares));
        if (expectedShares.Any(share => !(share > 0)))
            throw new ArgumentException("Every expected share must be positive, or χ² is infinite.", nameof(expectedShares));
        return Counts.Select((count, k) =>
        {
            var expected = expectedShares[k] * Total;
            return (count - expected) * (count - expected) / expected;
        }).Sum();
    }
}
