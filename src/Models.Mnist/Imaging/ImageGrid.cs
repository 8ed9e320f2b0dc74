namespace Models.Mnist.Imaging;

/// <summary>Lays out equally sized grayscale images in a grid, separated and framed by thin padding lines.</summary>
public static class ImageGrid
{
    /// <summary>The default width of the lines between cells, in pixels.</summary>
    public const int DefaultPadding = 2;

    /// <summary>The default gray of the lines: mid gray shows against both black and white backgrounds.</summary>
    public const byte DefaultPaddingGray = 128;

    /// <summary>
    /// Composes a <paramref name="rows"/> × <paramref name="columns"/> grid of the images in
    /// <paramref name="images"/> (N × height × width floats in <paramref name="range"/>, filled row by row).
    /// Cells beyond the N-th stay padding gray.
    /// </summary>
    public static GrayImage Compose(ReadOnlySpan<float> images, int imageHeight, int imageWidth, int rows, int columns,
        PixelRange range, int padding = DefaultPadding, byte paddingGray = DefaultPaddingGray)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        var imagePixels = imageHeight * imageWidth;
        if (images.Length % imagePixels != 0)
        {
            throw new ArgumentException($"{images.Length} values are not a whole number of {imageHeight}×{imageWidth} images.", nameof(images));
        }
        var count = images.Length / imagePixels;
        if (count > rows * columns)
        {
            throw new ArgumentException($"{count} images do not fit a {rows}×{columns} grid.", nameof(images));
        }

        var width = columns * imageWidth + (columns + 1) * padding;
        var height = rows * imageHeight + (rows + 1) * padding;
        var pixels = new byte[width * height];
        pixels.AsSpan().Fill(paddingGray);
        for (var n = 0; n < count; n++)
        {
            var left = padding + n % columns * (imageWidth + padding);
            var top = padding + n / columns * (imageHeight + padding);
            var image = images.Slice(n * imagePixels, imagePixels);
            for (var y = 0; y < imageHeight; y++)
            {
                var target = pixels.AsSpan((top + y) * width + left, imageWidth);
                for (var x = 0; x < imageWidth; x++)
                {
                    target[x] = PixelScaling.ToGray(image[y * imageWidth + x], range);
                }
            }
        }
        return new GrayImage(width, height, pixels);
    }
}
