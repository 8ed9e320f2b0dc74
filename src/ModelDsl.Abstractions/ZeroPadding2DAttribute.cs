namespace ModelDsl;

/// <summary>Adds <paramref name="pad"/> rows/columns of zeros on every side of a C×H×W input.</summary>
public sealed class ZeroPadding2DAttribute(int pad) : LayerAttribute
{
    /// <summary>Zeros added on each side.</summary>
    public int Pad { get; } = pad;
}
