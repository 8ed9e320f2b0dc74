namespace ModelDsl;

/// <summary>
/// 2-D average pooling. Output size per axis: <c>(in + 2·padding − pool) / stride + 1</c>;
/// <paramref name="stride"/> 0 (the default) means the pool size, as in Keras.
/// </summary>
public sealed class AveragePooling2DAttribute(int pool, int stride = 0, int padding = 0) : LayerAttribute
{
    /// <summary>Square window size.</summary>
    public int Pool { get; } = pool;
    /// <summary>Step between windows (0: the pool size).</summary>
    public int Stride { get; } = stride;
    /// <summary>Zeros added on each side (counted in the average); at most half the pool size.</summary>
    public int Padding { get; } = padding;
}
