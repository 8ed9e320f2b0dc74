namespace ModelDsl;

/// <summary>
/// Batch normalisation over the first per-sample axis (features of a vector, channels of an image);
/// shape unchanged. PyTorch semantics: <paramref name="momentum"/> weighs the new batch statistics.
/// Parameters: <c>2 · features</c> (plus running statistics, which are buffers).
/// </summary>
public sealed class BatchNormalizationAttribute(double momentum = BatchNormalizationAttribute.DefaultMomentum, double epsilon = BatchNormalizationAttribute.DefaultEpsilon) : LayerAttribute
{
    /// <summary>PyTorch's default momentum.</summary>
    public const double DefaultMomentum = 0.1;
    /// <summary>PyTorch's default epsilon.</summary>
    public const double DefaultEpsilon = 1e-5;

    /// <summary>Weight of the current batch in the running statistics.</summary>
    public double Momentum { get; } = momentum;
    /// <summary>Added to the variance for numerical stability.</summary>
    public double Epsilon { get; } = epsilon;
}
