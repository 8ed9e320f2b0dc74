using ModelDsl.IO;

namespace Models.Mnist.Imaging;

/// <summary>Writes looping animated GIFs from grayscale frames, e.g. the sample grids saved during training.</summary>
public static class AnimatedGif
{
    /// <summary>
    /// Writes <paramref name="frames"/> (all the same size) to <paramref name="path"/> as a GIF that loops
    /// forever, showing each frame for <paramref name="frameDelay"/> (rounded to hundredths of a second).
    /// </summary>
    public static void Save(string path, IReadOnlyList<GrayImage> frames, TimeSpan frameDelay)
    {
        using var buffer = new MemoryStream();
        GifEncoder.Write(buffer, frames, frameDelay);
        AtomicFile.WriteAllBytes(path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Like <see cref="Save(string, IReadOnlyList{GrayImage}, TimeSpan)"/>, with the frames read from PNG files.</summary>
    public static void SaveFromPngs(string path, IEnumerable<string> pngPaths, TimeSpan frameDelay) =>
        Save(path, pngPaths.Select(PngFile.Load).ToList(), frameDelay);
}
