using ModelDsl.Evaluation;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Evaluation;

/// <summary>The Fréchet distance against closed forms of Gaussians, and its behaviour on identical and singular sets.</summary>
public sealed class FrechetDistanceTests
{
    private static FeatureStatistics Gaussian(double[] mean, double[,] covariance) => FeatureStatistics.FromMoments(mean, covariance);

    [Fact]
    public void Diagonal_covariances_give_the_sum_of_squared_root_differences()
    {
        var first = Gaussian([1, 2, 3], new double[,] { { 1, 0, 0 }, { 0, 4, 0 }, { 0, 0, 9 } });
        var second = Gaussian([0, 2, 5], new double[,] { { 4, 0, 0 }, { 0, 1, 0 }, { 0, 0, 9 } });
        // ‖μ₁ − μ₂‖² = 1 + 0 + 4; Σ (√a − √b)² = (1 − 2)² + (2 − 1)² + 0.
        Assert.Equal(7, FrechetDistance.Between(first, second), 1e-9);
    }

    [Fact]
    public void Non_commuting_covariances_match_the_two_by_two_closed_form()
    {
        double[,] a = { { 2, 1 }, { 1, 2 } };
        double[,] b = { { 1, 0.5 }, { 0.5, 3 } };
        // For 2×2 matrices, M = Σ₁^½ Σ₂ Σ₁^½ has tr M = tr(Σ₁Σ₂) and det M = det Σ₁ · det Σ₂, and a symmetric
        // positive 2×2 M has tr √M = √(tr M + 2√det M).
        var traceOfProduct = a[0, 0] * b[0, 0] + a[0, 1] * b[1, 0] + a[1, 0] * b[0, 1] + a[1, 1] * b[1, 1];
        var determinants = (a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]) * (b[0, 0] * b[1, 1] - b[0, 1] * b[1, 0]);
        var traceOfRoot = Math.Sqrt(traceOfProduct + 2 * Math.Sqrt(determinants));
        var expected = (1.0 * 1 + 2.0 * 2) + (a[0, 0] + a[1, 1]) + (b[0, 0] + b[1, 1]) - 2 * traceOfRoot;

        var distance = FrechetDistance.Between(Gaussian([0, 0], a), Gaussian([1, -2], b));

        Assert.Equal(expected, distance, 1e-9);
        Assert.Equal(distance, FrechetDistance.Between(Gaussian([1, -2], b), Gaussian([0, 0], a)), 1e-9);
    }

    [Fact]
    public void Samples_of_two_gaussians_approach_their_closed_form()
    {
        double[,] a = { { 2, 1 }, { 1, 2 } };
        double[,] b = { { 1, 0.5 }, { 0.5, 3 } };
        var expected = FrechetDistance.Between(Gaussian([0, 0], a), Gaussian([1, -2], b));
        using var random = new TorchSharp.torch.Generator(11);
        using var first = Draw([0, 0], a, 200_000, random);
        using var second = Draw([1, -2], b, 200_000, random);

        Assert.Equal(expected, FrechetDistance.Between(first, second), 0.03);
    }

    [Fact]
    public void A_set_against_itself_is_zero_even_with_fewer_samples_than_dimensions()
    {
        using var random = new TorchSharp.torch.Generator(5);
        using var features = rand([50, 128], generator: random);
        var distance = FrechetDistance.Between(features, features);
        Assert.True(distance is >= 0 and < 1e-6, $"distance {distance}");
    }

    [Fact]
    public void Statistics_are_the_float64_mean_and_unbiased_covariance()
    {
        using var features = tensor(new float[,] { { 1, 2 }, { 3, 2 }, { 5, 8 } });
        var statistics = FeatureStatistics.Of(features);
        Assert.Equal([3.0, 4.0], statistics.Mean);
        Assert.Equal(new double[,] { { 4, 6 }, { 6, 12 } }, statistics.Covariance);
        Assert.Equal(3, statistics.Count);
    }

    [Fact]
    public void Features_of_other_dimensions_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => FrechetDistance.Between(
            Gaussian([0], new double[,] { { 1 } }), Gaussian([0, 0], new double[,] { { 1, 0 }, { 0, 1 } })));
        Assert.Contains("1 and 2 dimensions", error.Message);
    }

    /// <summary>N draws of N(μ, Σ) as x = μ + L z, with L the Cholesky factor of Σ.</summary>
    private static Tensor Draw(double[] mean, double[,] covariance, int count, TorchSharp.torch.Generator random)
    {
        using var scope = NewDisposeScope();
        var factor = linalg.cholesky(tensor(covariance, ScalarType.Float64));
        var normal = randn([count, mean.Length], ScalarType.Float64, generator: random);
        return (normal.matmul(factor.t()) + tensor(mean, ScalarType.Float64)).MoveToOuterDisposeScope();
    }
}
