using static TorchSharp.torch;

namespace ModelDsl.Evaluation;

/// <summary>
/// How varied generated samples are within each class, against real ones in the same feature space: per class the
/// Fréchet distance of that class's generated features to its real features ("intra-class FID"), and the spread
/// ratio tr Σ_generated / tr Σ_real (the total variance of the class's features, relative to the real class's).
/// A generator that draws every digit in one style can have a fair overall FID and class accuracy, yet its
/// intra-class FIDs are large and its spread ratio well below 1; a spread ratio of 1 is the real digits' variety.
/// </summary>
/// <param name="FrechetPerClass">Per class, the Fréchet distance to the real class, null where too few samples fell in it.</param>
/// <param name="SpreadPerClass">Per class, tr Σ_generated / tr Σ_real, null where too few samples fell in it.</param>
/// <param name="MinimumSamples">The fewest samples a class needs for its figures.</param>
public sealed record ClassVariety(IReadOnlyList<double?> FrechetPerClass, IReadOnlyList<double?> SpreadPerClass, int MinimumSamples)
{
    /// <summary>
    /// The fewest samples of a class for its figures: a covariance needs two, and ten keep them from being pure noise.
    /// Below the feature dimension the Fréchet distance is biased upwards, so compare figures of equal sample counts.
    /// </summary>
    public const int DefaultMinimumSamples = 10;

    /// <summary>The mean intra-class Fréchet distance over the classes that have one, null when none has.</summary>
    public double? FrechetMean => Mean(FrechetPerClass);

    /// <summary>
    /// The mean over the classes that have one of tr Σ_generated / tr Σ_real: features scaled by s about their mean
    /// give s², a class drawn in one style 0; null when no class has enough samples.
    /// </summary>
    public double? SpreadRatio => Mean(SpreadPerClass);

    /// <summary>
    /// The figures of <paramref name="generatedFeatures"/> (N×D) whose classes are <paramref name="generatedClasses"/>
    /// (N int64 values in 0…C−1) against the real classes' summaries (<see cref="PerClass"/>, C of them).
    /// </summary>
    public static ClassVariety Measure(Tensor generatedFeatures, Tensor generatedClasses, IReadOnlyList<FeatureStatistics> realPerClass,
        int minimumSamples = DefaultMinimumSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumSamples, 2);
        var frechet = new double?[realPerClass.Count];
        var spread = new double?[realPerClass.Count];
        foreach (var (index, generated) in Split(generatedFeatures, generatedClasses, realPerClass.Count).Index())
        {
            using (generated)
            {
                if (generated.shape[0] < minimumSamples) continue;
                var statistics = FeatureStatistics.Of(generated);
                frechet[index] = FrechetDistance.Between(statistics, realPerClass[index]);
                spread[index] = statistics.TotalVariance / realPerClass[index].TotalVariance;
            }
        }
        return new ClassVariety(frechet, spread, minimumSamples);
    }

    /// <summary>The summary of each class's features (every class needs at least two vectors), e.g. of the real test set once.</summary>
    public static IReadOnlyList<FeatureStatistics> PerClass(Tensor features, Tensor classes, int classCount) =>
        [.. Split(features, classes, classCount).Select((members, index) =>
        {
            using (members)
                return members.shape[0] >= 2
                    ? FeatureStatistics.Of(members)
                    : throw new ArgumentException($"Class {index} has {members.shape[0]} feature vectors; a summary needs at least 2.", nameof(classes));
        })];

    /// <summary>The rows of <paramref name="features"/> of each class 0…C−1, in class order.</summary>
    private static IEnumerable<Tensor> Split(Tensor features, Tensor classes, int classCount)
    {
        if (classes.dim() != 1 || classes.shape[0] != features.shape[0])
            throw new ArgumentException($"Expected one class per feature vector ({features.shape[0]}), got {string.Join("×", classes.shape)}.", nameof(classes));
        using var cpuClasses = classes.to(ScalarType.Int64, CPU);
        var values = cpuClasses.data<long>().ToArray();
        if (values.Where(c => c < 0 || c >= classCount).Take(1).ToList() is [var outside])
            throw new ArgumentException($"Class {outside} is outside 0…{classCount - 1}.", nameof(classes));
        for (var c = 0; c < classCount; c++)
        {
            var rows = values.Index().Where(v => v.Item == c).Select(v => (long)v.Index).ToArray();
            using var indices = tensor(rows, ScalarType.Int64);
            yield return features.index_select(0, indices.to(features.device));
        }
    }

    private static double? Mean(IReadOnlyList<double?> values) =>
        values.Where(v => v is not null).Select(v => v!.Value).ToList() is { Count: > 0 } present ? present.Average() : null;
}
