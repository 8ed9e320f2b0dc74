using static TorchSharp.torch;

namespace ModelDsl.Evaluation;

/// <summary>
/// The Fréchet distance between two Gaussians fitted to feature sets, as FID computes it:
/// d² = ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁ Σ₂)^½.
/// </summary>
/// <remarks>
/// tr (Σ₁ Σ₂)^½ is computed as tr (Σ₁^½ Σ₂ Σ₁^½)^½, which has the same eigenvalues but is symmetric, so two
/// symmetric eigendecompositions do it in float64 without the complex intermediate values of a general matrix
/// square root. Covariances of fewer vectors than dimensions are singular; rounding can make their smallest
/// eigenvalues slightly negative, and those are taken as zero.
/// </remarks>
public static class FrechetDistance
{
    /// <summary>The squared Fréchet distance (what papers call FID) between the Gaussians of two summaries.</summary>
    public static double Between(FeatureStatistics first, FeatureStatistics second)
    {
        if (first.Dimension != second.Dimension)
            throw new ArgumentException($"Features of {first.Dimension} and {second.Dimension} dimensions cannot be compared.", nameof(second));
        using var scope = NewDisposeScope();
        var meanDifference = first.MeanTensor() - second.MeanTensor();
        var firstCovariance = first.CovarianceTensor();
        var secondCovariance = second.CovarianceTensor();
        var firstRoot = SymmetricSquareRoot(firstCovariance);
        var product = firstRoot.matmul(secondCovariance).matmul(firstRoot);
        var traceOfRoot = EigenvaluesOfSymmetric(product).sqrt().sum();
        var distance = meanDifference.dot(meanDifference) + firstCovariance.trace() + secondCovariance.trace() - 2 * traceOfRoot;
        // The exact value is never negative; for identical sets rounding can leave −1e-12.
        return Math.Max(0, distance.item<double>());
    }

    /// <summary>The squared Fréchet distance between two N×D feature tensors.</summary>
    public static double Between(Tensor firstFeatures, Tensor secondFeatures) =>
        Between(FeatureStatistics.Of(firstFeatures), FeatureStatistics.Of(secondFeatures));

    private static Tensor SymmetricSquareRoot(Tensor matrix)
    {
        var (eigenvalues, eigenvectors) = linalg.eigh(Symmetrised(matrix));
        return eigenvectors.matmul(diag(eigenvalues.clamp_min(0).sqrt())).matmul(eigenvectors.t());
    }

    private static Tensor EigenvaluesOfSymmetric(Tensor matrix) => linalg.eigvalsh(Symmetrised(matrix)).clamp_min(0);

    // Products of symmetric matrices are symmetric only up to rounding; eigh reads one triangle, so both are averaged first.
    private static Tensor Symmetrised(Tensor matrix) => (matrix + matrix.t()) / 2;
}
