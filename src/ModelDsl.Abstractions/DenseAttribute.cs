namespace ModelDsl;

/// <summary>
/// Fully connected layer over the last axis (PyTorch's <c>Linear</c>); the input features are
/// inferred from the shape flowing in. Parameters: <c>in · units + units</c> (<c>in · units</c> without a bias).
/// </summary>
public sealed class DenseAttribute(int units, Init init = Init.Default, bool useBias = true) : LayerAttribute
{
    /// <summary>Output features.</summary>
    public int Units { get; } = units;
    /// <summary>How the weights start (biases zero unless <see cref="Init.Default"/>).</summary>
    public Init Init { get; } = init;
    /// <summary>Whether a bias is added (Keras' <c>use_bias</c>); false where a following BatchNormalization's shift makes it redundant.</summary>
    public bool UseBias { get; } = useBias;
}
