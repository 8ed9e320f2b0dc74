namespace ModelDsl;

/// <summary>
/// Fully connected layer over the last axis (PyTorch's <c>Linear</c>); the input features are
/// inferred from the shape flowing in. Parameters: <c>in · units + units</c>.
/// </summary>
public sealed class DenseAttribute(int units, Init init = Init.Default) : LayerAttribute
{
    /// <summary>Output features.</summary>
    public int Units { get; } = units;
    /// <summary>How the weights start (biases zero unless <see cref="Init.Default"/>).</summary>
    public Init Init { get; } = init;
}
