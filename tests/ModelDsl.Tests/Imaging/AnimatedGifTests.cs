using Models.Mnist.Imaging;
using ModelDsl.Tests.Support;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Tests.Imaging;

/// <summary>Checks the GIF encoder against two independent decoders: SkiaSharp's and a strict LZW decoder.</summary>
public sealed class AnimatedGifTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static GrayImage Noise(int width, int height, int seed)
    {
        var pixels = new byte[width * height];
        new Random(seed).NextBytes(pixels);
        return new GrayImage(width, height, pixels);
    }

    private static GrayImage Gradient(int width, int height) =>
        new(width, height, Enumerable.Range(0, width * height).Select(i => (byte)(i % width * 255 / (width - 1))).ToArray());

    [Fact]
    public void Frames_decode_back_to_their_pixels_with_delay_and_endless_loop()
    {
        // Noise overflows the 4096-entry LZW table many times; flat and gradient frames compress well.
        GrayImage[] frames = [Noise(120, 90, 1), Gradient(120, 90), new(120, 90, new byte[120 * 90]), Noise(120, 90, 2)];
        var path = _folder.File("progress.gif");

        AnimatedGif.Save(path, frames, TimeSpan.FromMilliseconds(250));

        using var codec = SKCodec.Create(path);
        Assert.Equal(SKEncodedImageFormat.Gif, codec.EncodedFormat);
        Assert.Equal(4, codec.FrameCount);
        Assert.Equal(-1, codec.RepetitionCount); // Skia's "forever".
        Assert.All(codec.FrameInfo, frame => Assert.Equal(250, frame.Duration));
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.Equal(frames[i].Pixels, DecodeFrame(codec, i));
        }
        Assert.Equal(["progress.gif"], _folder.FileNames());
    }

    [Fact]
    public void The_code_stream_is_well_formed_at_every_table_size()
    {
        // Random pixels add about one table entry per pixel, so streams of these lengths end around each change
        // of code width (512, 1024 and 2048 entries) and around the table filling up (4096) and restarting.
        var pixels = new byte[4740];
        new Random(1).NextBytes(pixels);
        var windows = new[] { (1, 10), (250, 262), (765, 780), (1805, 1825), (4205, 4225), (4715, 4740) };

        foreach (var length in windows.SelectMany(w => Enumerable.Range(w.Item1, w.Item2 - w.Item1)))
        {
            Assert.Equal(pixels[..length], StrictGifLzwDecoder.Decode(GifEncoder.Compress(pixels.AsSpan(0, length))));
        }
    }

    [Fact]
    public void Frames_can_come_from_png_files()
    {
        var pngs = new[] { Gradient(30, 20), Noise(30, 20, 3) }
            .Select((image, i) =>
            {
                var png = _folder.File($"frame{i}.png");
                PngFile.Save(png, image);
                return png;
            })
            .ToList();
        var gif = _folder.File("samples.gif");

        AnimatedGif.SaveFromPngs(gif, pngs, TimeSpan.FromSeconds(0.5));

        using var codec = SKCodec.Create(gif);
        Assert.Equal(2, codec.FrameCount);
        Assert.Equal(PngFile.Load(pngs[1]).Pixels, DecodeFrame(codec, 1));
    }

    [Fact]
    public void Frames_of_different_sizes_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            AnimatedGif.Save(_folder.File("x.gif"), [Gradient(4, 4), Gradient(5, 4)], TimeSpan.FromSeconds(1)));

        Assert.StartsWith("Frame 1 is 5×4, frame 0 is 4×4.", error.Message);
        Assert.Empty(_folder.FileNames());
    }

    private static byte[] DecodeFrame(SKCodec codec, int frame)
    {
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(frame));
        Assert.Equal(SKCodecResult.Success, result);
        var rgba = bitmap.Bytes;
        // A gray palette entry decodes to equal red, green and blue.
        return Enumerable.Range(0, info.Width * info.Height).Select(i => rgba[4 * i]).ToArray();
    }
}
