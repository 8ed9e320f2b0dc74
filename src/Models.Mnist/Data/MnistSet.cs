namespace Models.Mnist.Data;

/// <summary>
/// The images and labels of a data set in MNIST's format, held as two contiguous byte buffers: image <c>i</c> is the 28×28 row-major
/// block at <c>i * 784</c> in <see cref="Pixels"/> (0 = background, 255 = ink), its class is <c>Labels[i]</c>.
/// </summary>
public sealed class MnistSet
{
    /// <summary>The height and width of every image.</summary>
    public const int ImageSide = IdxReader.ImageSide;

    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    private MnistSet(byte[] pixels, byte[] labels)
    {
        _pixels = pixels;
        _labels = labels;
    }

    /// <summary>How many images (and labels) the set holds.</summary>
    public int Count => _labels.Length;

    /// <summary>All pixels, <see cref="Count"/> × 28 × 28 bytes.</summary>
    public ReadOnlyMemory<byte> Pixels => _pixels;

    /// <summary>All labels, one class 0..9 per image.</summary>
    public ReadOnlyMemory<byte> Labels => _labels;

    /// <summary>
    /// Reads an images file and its labels file (gzip or raw IDX), validating both and that they agree.
    /// With a <paramref name="limit"/> only the first items are kept.
    /// </summary>
    /// <exception cref="MnistFormatException">A file is truncated, corrupt, of another kind, or the files disagree.</exception>
    public static MnistSet Read(string imagesPath, string labelsPath, int? limit = null) =>
        Combine(imagesPath, IdxReader.ReadImages(imagesPath, limit), labelsPath, IdxReader.ReadLabels(labelsPath, limit));

    /// <summary>The set of an images file and a labels file read, once they are checked to agree.</summary>
    internal static MnistSet Combine(string imagesPath, IdxReader.Payload images, string labelsPath, IdxReader.Payload labels)
    {
        if (images.DeclaredCount != labels.DeclaredCount)
        {
            throw new MnistFormatException(labelsPath,
                $"holds {labels.DeclaredCount} labels but {Path.GetFileName(imagesPath)} holds {images.DeclaredCount} images; the files do not belong together");
        }
        var outOfRange = labels.Data.AsSpan().IndexOfAnyInRange((byte)10, byte.MaxValue);
        if (outOfRange >= 0)
        {
            throw new MnistFormatException(labelsPath, $"label {labels.Data[outOfRange]} at index {outOfRange} is outside 0..9");
        }
        return new MnistSet(images.Data, labels.Data);
    }
}
