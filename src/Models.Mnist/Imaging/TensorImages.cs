using static TorchSharp.torch;

namespace Models.Mnist.Imaging;

/// <summary>Saves image tensors (N×1×H×W, on any device) as picture files.</summary>
public static class TensorImages
{
    /// <summary>
    /// Saves the first <paramref name="rows"/> × <paramref name="columns"/> (or fewer) images of
    /// <paramref name="images"/> as a grayscale PNG grid.
    /// </summary>
    public static void SaveGrid(Tensor images, string path, int rows, int columns, PixelRange range,
        int padding = ImageGrid.DefaultPadding)
    {
        if (images.dim() != 4 || images.shape[1] != 1)
        {
            throw new ArgumentException($"Expected N×1×H×W grayscale images, got shape [{string.Join(", ", images.shape)}].", nameof(images));
        }
        var count = Math.Min(images.shape[0], (long)rows * columns);
        float[] values;
        using (NewDisposeScope())
        {
            using var accessor = images.detach().narrow(0, 0, count).to(ScalarType.Float32).cpu().contiguous().data<float>();
            values = accessor.ToArray();
        }
        var grid = ImageGrid.Compose(values, (int)images.shape[2], (int)images.shape[3], rows, columns, range, padding);
        PngFile.Save(path, grid);
    }
}
