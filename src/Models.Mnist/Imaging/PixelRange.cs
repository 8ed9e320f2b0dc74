namespace Models.Mnist.Imaging;

/// <summary>The float interval that stands for black to white.</summary>
public enum PixelRange
{
    /// <summary>0 is black, 1 is white.</summary>
    ZeroToOne,

    /// <summary>-1 is black, 1 is white (the range of a tanh generator).</summary>
    MinusOneToOne,
}

/// <summary>Converts between 8-bit gray levels and floats in a <see cref="PixelRange"/>.</summary>
internal static class PixelScaling
{
    private static readonly float[] ZeroToOneTable = BuildTable(PixelRange.ZeroToOne);
    private static readonly float[] MinusOneToOneTable = BuildTable(PixelRange.MinusOneToOne);

    /// <summary>Maps each gray level to a float in <paramref name="range"/>; the spans must have equal length.</summary>
    public static void ToFloats(ReadOnlySpan<byte> source, Span<float> destination, PixelRange range)
    {
        if (destination.Length != source.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats for {source.Length} pixels.", nameof(destination));
        }
        var table = range switch
        {
            PixelRange.ZeroToOne => ZeroToOneTable,
            PixelRange.MinusOneToOne => MinusOneToOneTable,
            _ => throw new ArgumentOutOfRangeException(nameof(range), range, null),
        };
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    /// <summary>
    /// Maps a float in <paramref name="range"/> to the nearest gray level; values outside the range are clamped
    /// and NaN becomes black, so a diverging model still yields a picture.
    /// </summary>
    public static byte ToGray(float value, PixelRange range)
    {
        var unit = range switch
        {
            PixelRange.ZeroToOne => value,
            PixelRange.MinusOneToOne => (value + 1f) * 0.5f,
            _ => throw new ArgumentOutOfRangeException(nameof(range), range, null),
        };
        return float.IsNaN(unit) ? (byte)0 : (byte)MathF.Round(Math.Clamp(unit, 0f, 1f) * 255f);
    }

    private static float[] BuildTable(PixelRange range)
    {
        var table = new float[256];
        for (var level = 0; level < table.Length; level++)
        {
            table[level] = range == PixelRange.ZeroToOne ? level / 255f : level / 127.5f - 1f;
        }
        return table;
    }
}
