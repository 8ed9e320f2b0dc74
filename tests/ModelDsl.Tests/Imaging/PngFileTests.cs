using Models.Mnist.Imaging;
using ModelDsl.Tests.Support;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Tests.Imaging;

public sealed class PngFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Encodes_an_8_bit_grayscale_png()
    {
        var png = PngFile.Encode(new GrayImage(3, 2, [0, 1, 2, 128, 254, 255]));

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(8, png[24]); // IHDR bit depth
        Assert.Equal(0, png[25]); // IHDR colour type: grayscale
    }

    [Fact]
    public void Loading_a_colour_image_yields_its_luminance()
    {
        var path = _folder.File("colour.png");
        using (var bitmap = new SKBitmap(new SKImageInfo(2, 1, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            bitmap.SetPixel(0, 0, SKColors.White);
            bitmap.SetPixel(1, 0, new SKColor(0, 0, 255));
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(path, data.ToArray());
        }

        var image = PngFile.Load(path);

        Assert.Equal(255, image[0, 0]);
        Assert.InRange(image[1, 0], 10, 40); // Blue is dark: about 7 % of white.
    }

    [Fact]
    public void Saving_replaces_an_existing_file_without_leaving_temporary_files()
    {
        var path = _folder.File("image.png");
        File.WriteAllText(path, "old");

        PngFile.Save(path, new GrayImage(1, 1, [200]));

        Assert.Equal(200, PngFile.Load(path)[0, 0]);
        Assert.Equal(["image.png"], _folder.FileNames());
    }

    [Fact]
    public void A_file_that_is_no_image_is_refused()
    {
        var path = _folder.File("not.png");
        File.WriteAllText(path, "hello");

        Assert.Throws<InvalidDataException>(() => PngFile.Load(path));
    }
}
