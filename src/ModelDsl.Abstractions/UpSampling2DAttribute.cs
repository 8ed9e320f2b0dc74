namespace ModelDsl;

/// <summary>Nearest-neighbour upsampling of a C×H×W input: H and W are multiplied by <paramref name="factor"/>.</summary>
public sealed class UpSampling2DAttribute(int factor) : LayerAttribute
{
    /// <summary>Scale factor for height and width.</summary>
    public int Factor { get; } = factor;
}
