using System.Buffers.Binary;
using System.IO.Compression;

namespace ModelDsl.Tests.Support;

/// <summary>Builds small IDX files in memory.</summary>
public static class IdxFiles
{
    public const int ImageBytes = 28 * 28;

    /// <summary>An images file whose image i has every pixel equal to i * 10 % 256, unless pixels are given.</summary>
    public static byte[] Images(int count, byte[]? pixels = null, int magic = 0x803, int rows = 28, int columns = 28)
    {
        pixels ??= Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)(i * 10 % 256), rows * columns)).ToArray();
        var file = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, magic);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(12), columns);
        pixels.CopyTo(file, 16);
        return file;
    }

    /// <summary>A labels file holding <paramref name="labels"/>, or digits i % 10 for <paramref name="count"/> items.</summary>
    public static byte[] Labels(int count, byte[]? labels = null, int magic = 0x801)
    {
        labels ??= Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        var file = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, magic);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), count);
        labels.CopyTo(file, 8);
        return file;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Writes an images/labels pair into <paramref name="folder"/> and returns their paths.</summary>
    public static (string Images, string Labels) WritePair(TempFolder folder, int count, bool gzip, string prefix = "t10k")
    {
        var images = folder.File(prefix + "-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        var labels = folder.File(prefix + "-labels-idx1-ubyte" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(images, gzip ? Gzip(Images(count)) : Images(count));
        File.WriteAllBytes(labels, gzip ? Gzip(Labels(count)) : Labels(count));
        return (images, labels);
    }
}
