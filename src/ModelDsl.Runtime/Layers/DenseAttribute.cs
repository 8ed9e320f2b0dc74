namespace ModelDsl;

/// <summary>
/// Fully connected layer over the last axis (PyTorch's <c>Linear</c>); the input features are
/// inferred from the shape flowing in. Parameters: <c>in · units + units</c>.
/// </summary>
public sealed class DenseAttribute(int units) : LayerAttribute
{
    /// <summary>Output features.</summary>
    public int Units { get; } = units;
}
