namespace ModelDsl;

/// <summary>
/// Looks up a learned vector of <paramref name="dim"/> values for each integer in 0..count−1;
/// needs an integer input (<c>[Input(DType.Int64)]</c>). Shape: S → S×dim. Parameters: <c>count · dim</c>.
/// </summary>
public sealed class EmbeddingAttribute(int count, int dim, Init init = Init.Default) : LayerAttribute
{
    /// <summary>Number of distinct indices.</summary>
    public int Count { get; } = count;
    /// <summary>Length of each vector.</summary>
    public int Dim { get; } = dim;
    /// <summary>How the vectors start.</summary>
    public Init Init { get; } = init;
}
