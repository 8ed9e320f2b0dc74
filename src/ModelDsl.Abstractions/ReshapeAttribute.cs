namespace ModelDsl;

/// <summary>
/// Reshapes each sample to <paramref name="shape"/>; the element count must not change.
/// One entry may be -1, inferred from the others.
/// </summary>
public sealed class ReshapeAttribute(params int[] shape) : LayerAttribute
{
    /// <summary>Target per-sample shape.</summary>
    public IReadOnlyList<int> Shape { get; } = shape;
}
