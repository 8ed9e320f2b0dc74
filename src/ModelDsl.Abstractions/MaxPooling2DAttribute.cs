namespace ModelDsl;

/// <summary>
/// 2-D max pooling. Output size per axis: <c>(in + 2·padding − dilation·(pool − 1) − 1) / stride + 1</c>;
/// <paramref name="stride"/> 0 (the default) means the pool size, as in Keras.
/// </summary>
public sealed class MaxPooling2DAttribute(int pool, int stride = 0, int padding = 0, int dilation = 1) : LayerAttribute
{
    /// <summary>Square window size.</summary>
    public int Pool { get; } = pool;
    /// <summary>Step between windows (0: the pool size).</summary>
    public int Stride { get; } = stride;
    /// <summary>Implicit negative infinity added on each side; at most half the pool size.</summary>
    public int Padding { get; } = padding;
    /// <summary>Spacing between window elements.</summary>
    public int Dilation { get; } = dilation;
}
