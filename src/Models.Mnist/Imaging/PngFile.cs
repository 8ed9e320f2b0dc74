using System.Runtime.InteropServices;
using ModelDsl.IO;
using SkiaSharp;

namespace Models.Mnist.Imaging;

/// <summary>Reads and writes grayscale PNG files (through SkiaSharp).</summary>
public static class PngFile
{
    /// <summary>Encodes <paramref name="image"/> as an 8-bit grayscale PNG.</summary>
    public static byte[] Encode(GrayImage image)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(image.Pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), image.Width);
            using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                ?? throw new InvalidOperationException("SkiaSharp could not encode the image as PNG.");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> as a grayscale PNG, atomically.</summary>
    public static void Save(string path, GrayImage image) => AtomicFile.WriteAllBytes(path, Encode(image));

    /// <summary>Reads a PNG (or any format SkiaSharp decodes) as grayscale; colour images are converted to luminance.</summary>
    /// <exception cref="InvalidDataException">The file is not an image SkiaSharp can decode.</exception>
    public static GrayImage Load(string path)
    {
        using var decoded = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path}: not a decodable image.");
        var info = new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        var pixels = new byte[info.Width * info.Height];
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var source = decoded.PeekPixels();
            if (!source.ReadPixels(info, handle.AddrOfPinnedObject(), info.Width, 0, 0))
            {
                throw new InvalidDataException($"{path}: could not convert the image to grayscale.");
            }
        }
        finally
        {
            handle.Free();
        }
        return new GrayImage(info.Width, info.Height, pixels);
    }
}
