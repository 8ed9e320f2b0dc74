using Models.Mnist.Data;
using Models.Mnist.Imaging;
using ModelDsl.Tests.Support;
using Xunit;

namespace ModelDsl.Tests.Imaging;

public sealed class ImageGridTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Cells_are_framed_and_separated_by_padding_lines()
    {
        // Three 2×3 images in a 2×2 grid: values 0, 0.5 and 1; the fourth cell stays empty.
        float[] images = [.. Enumerable.Repeat(0f, 6), .. Enumerable.Repeat(0.5f, 6), .. Enumerable.Repeat(1f, 6)];

        var grid = ImageGrid.Compose(images, imageHeight: 2, imageWidth: 3, rows: 2, columns: 2, PixelRange.ZeroToOne, padding: 1, paddingGray: 77);

        Assert.Equal(2 * 3 + 3 * 1, grid.Width);
        Assert.Equal(2 * 2 + 3 * 1, grid.Height);
        string[] expected =
        [
            "77 77 77 77 77 77 77 77 77",
            "77 0 0 0 77 128 128 128 77",
            "77 0 0 0 77 128 128 128 77",
            "77 77 77 77 77 77 77 77 77",
            "77 255 255 255 77 77 77 77 77",
            "77 255 255 255 77 77 77 77 77",
            "77 77 77 77 77 77 77 77 77",
        ];
        Assert.Equal(expected, Rows(grid));
    }

    [Theory]
    [InlineData(PixelRange.ZeroToOne, 0f, 0)]
    [InlineData(PixelRange.ZeroToOne, 1f, 255)]
    [InlineData(PixelRange.ZeroToOne, 1.5f, 255)]
    [InlineData(PixelRange.MinusOneToOne, -1f, 0)]
    [InlineData(PixelRange.MinusOneToOne, 0f, 128)]
    [InlineData(PixelRange.MinusOneToOne, 1f, 255)]
    [InlineData(PixelRange.MinusOneToOne, -3f, 0)]
    [InlineData(PixelRange.MinusOneToOne, float.NaN, 0)]
    public void Values_map_to_gray_levels_by_range(PixelRange range, float value, byte gray) =>
        Assert.Equal(gray, PixelScaling.ToGray(value, range));

    [Theory]
    [InlineData(PixelRange.ZeroToOne)]
    [InlineData(PixelRange.MinusOneToOne)]
    public void Scaling_gray_levels_to_floats_and_back_is_lossless(PixelRange range)
    {
        var levels = Enumerable.Range(0, 256).Select(l => (byte)l).ToArray();
        var floats = new float[256];

        PixelScaling.ToFloats(levels, floats, range);

        Assert.Equal(range == PixelRange.ZeroToOne ? 0f : -1f, floats[0]);
        Assert.Equal(1f, floats[255]);
        Assert.Equal(levels, floats.Select(f => PixelScaling.ToGray(f, range)));
    }

    [Fact]
    public void Too_many_images_for_the_grid_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ImageGrid.Compose(new float[5 * 4], imageHeight: 2, imageWidth: 2, rows: 2, columns: 2, PixelRange.ZeroToOne));

        Assert.StartsWith("5 images do not fit a 2×2 grid.", error.Message);
    }

    [Fact]
    public void A_grid_saved_as_png_decodes_to_the_same_pixels()
    {
        var values = Enumerable.Range(0, 2 * 28 * 28).Select(i => (i % 97) / 96f).ToArray();
        var grid = ImageGrid.Compose(values, 28, 28, rows: 1, columns: 2, PixelRange.ZeroToOne);
        var path = _folder.File("grid.png");

        PngFile.Save(path, grid);
        var decoded = PngFile.Load(path);

        Assert.Equal((2 * 28 + 3 * 2, 28 + 2 * 2), (decoded.Width, decoded.Height));
        Assert.Equal(grid.Pixels, decoded.Pixels);
        Assert.Equal(PixelScaling.ToGray(values[28 + 5], PixelRange.ZeroToOne), decoded[2 + 5, 2 + 1]);
        Assert.Equal(["grid.png"], _folder.FileNames());
    }

    [SkippableFact]
    public void The_first_hundred_real_digits_make_a_ten_by_ten_grid()
    {
        var set = RealMnist.Read(MnistSplit.Train, 100);
        var floats = new float[set.Pixels.Length];
        PixelScaling.ToFloats(set.Pixels.Span, floats, PixelRange.MinusOneToOne);
        var path = Path.Combine(Environment.GetEnvironmentVariable("MODELDSL_KEEP_IMAGES") ?? _folder.Path, "mnist-first-100.png");

        PngFile.Save(path, ImageGrid.Compose(floats, 28, 28, rows: 10, columns: 10, PixelRange.MinusOneToOne));
        var decoded = PngFile.Load(path);

        Assert.Equal((10 * 28 + 11 * 2, 10 * 28 + 11 * 2), (decoded.Width, decoded.Height));
        // Cell (0, 0) is the first image: its pixel (x, y) sits at (2 + x, 2 + y).
        for (var y = 0; y < 28; y++)
        {
            for (var x = 0; x < 28; x++)
            {
                Assert.Equal(set.Pixels.Span[y * 28 + x], decoded[2 + x, 2 + y]);
            }
        }
    }

    private static string[] Rows(GrayImage image) =>
        Enumerable.Range(0, image.Height)
            .Select(y => string.Join(' ', Enumerable.Range(0, image.Width).Select(x => image[x, y])))
            .ToArray();
}
