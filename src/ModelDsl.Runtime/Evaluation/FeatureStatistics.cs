using static TorchSharp.torch;

namespace ModelDsl.Evaluation;

/// <summary>
/// The mean and covariance of a set of feature vectors, in float64: all a Fréchet distance needs, so a
/// reference set (e.g. the test images) is summarised once and compared with many generated sets.
/// </summary>
public sealed class FeatureStatistics
{
    private FeatureStatistics(double[] mean, double[,] covariance, long count)
    {
        Mean = mean;
        Covariance = covariance;
        Count = count;
    }

    /// <summary>The mean feature vector (D values).</summary>
    public double[] Mean { get; }

    /// <summary>The D×D sample covariance (divided by N − 1, as NumPy's <c>cov</c>).</summary>
    public double[,] Covariance { get; }

    /// <summary>How many vectors were summarised (N).</summary>
    public long Count { get; }

    /// <summary>The feature dimension D.</summary>
    public int Dimension => Mean.Length;

    /// <summary>The trace of the covariance: the summed variance of every feature, how widely the vectors spread.</summary>
    public double TotalVariance => Enumerable.Range(0, Dimension).Sum(i => Covariance[i, i]);

    /// <summary>Summarises an N×D tensor of feature vectors (any float type, any device); N must be at least 2.</summary>
    public static FeatureStatistics Of(Tensor features)
    {
        if (features.dim() != 2 || features.shape[0] < 2)
            throw new ArgumentException($"Expected N×D features with N ≥ 2, got {string.Join("×", features.shape)}.", nameof(features));
        using var scope = NewDisposeScope();
        // float64 from the start: the covariance of 10,000 float32 vectors loses digits that FID's differences need.
        var values = features.detach().to(ScalarType.Float64, CPU);
        var mean = values.mean([0]);
        var centred = values - mean;
        var covariance = centred.t().matmul(centred) / (values.shape[0] - 1);
        var dimension = (int)values.shape[1];
        return new FeatureStatistics(mean.data<double>().ToArray(), ToMatrix(covariance, dimension), values.shape[0]);
    }

    /// <summary>Statistics given directly, e.g. of a Gaussian with a known mean and covariance.</summary>
    public static FeatureStatistics FromMoments(double[] mean, double[,] covariance)
    {
        if (covariance.GetLength(0) != mean.Length || covariance.GetLength(1) != mean.Length)
            throw new ArgumentException($"A mean of {mean.Length} values needs a {mean.Length}×{mean.Length} covariance, not {covariance.GetLength(0)}×{covariance.GetLength(1)}.", nameof(covariance));
        return new FeatureStatistics((double[])mean.Clone(), (double[,])covariance.Clone(), count: 0);
    }

    internal Tensor MeanTensor() => tensor(Mean, ScalarType.Float64);

    internal Tensor CovarianceTensor() => tensor(Covariance, ScalarType.Float64);

    private static double[,] ToMatrix(Tensor square, int dimension)
    {
        var flat = square.contiguous().data<double>().ToArray();
        var matrix = new double[dimension, dimension];
        Buffer.BlockCopy(flat, 0, matrix, 0, flat.Length * sizeof(double));
        return matrix;
    }
}
