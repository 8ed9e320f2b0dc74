using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using Models.Mnist.Data;

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

    /// <summary>Pixels whose pixel k of image i is (i + k) % 256: every image spans black to white, and no two of the first 256 are alike.</summary>
    public static byte[] GradientPixels(int count) =>
        Enumerable.Range(0, count).SelectMany(i => Enumerable.Range(0, ImageBytes).Select(k => (byte)((i + k) % 256))).ToArray();

    /// <summary><paramref name="count"/> gradient images (<see cref="GradientPixels"/>) with digits i % 10, read back from IDX files.</summary>
    public static MnistSet GradientSet(TempFolder folder, int count)
    {
        var images = folder.File($"gradient-{count}-images-idx3-ubyte");
        var labels = folder.File($"gradient-{count}-labels-idx1-ubyte");
        File.WriteAllBytes(images, Images(count, GradientPixels(count)));
        File.WriteAllBytes(labels, Labels(count));
        return MnistSet.Read(images, labels);
    }

    /// <summary>Training images of <see cref="WriteDataFolder"/>'s synthetic data set.</summary>
    public const int SyntheticTrainCount = 300;

    /// <summary>Test images of <see cref="WriteDataFolder"/>'s synthetic data set.</summary>
    public const int SyntheticTestCount = 200;

    /// <summary>
    /// A data folder for the app holding all four MNIST files as gradient images (300 training, 200 test),
    /// decompressed; the app verifies them against <see cref="SyntheticDataSets"/>.
    /// </summary>
    public static string WriteDataFolder(TempFolder folder)
    {
        var directory = folder.File("mnist");
        Directory.CreateDirectory(directory);
        foreach (var (file, bytes) in SyntheticFiles())
        {
            File.WriteAllBytes(Path.Combine(directory, file.UncompressedName), bytes);
        }
        return directory;
    }

    /// <summary>
    /// The data sets the app knows, with MNIST's published IDX bytes replaced by those of <see cref="WriteDataFolder"/>'s
    /// synthetic files: tests about the commands run them on synthetic data that the app verifies like the real files.
    /// </summary>
    public static IReadOnlyList<DataSet> SyntheticDataSets { get; } =
        [WithContents(DataSet.Mnist, SyntheticFiles()), .. DataSet.All.Where(d => d.Name != DataSet.Mnist.Name)];

    /// <summary><paramref name="dataSet"/> with <paramref name="contents"/> as the published IDX bytes of its files.</summary>
    public static DataSet WithContents(DataSet dataSet, IEnumerable<(DataFile File, byte[] Bytes)> contents)
    {
        var published = contents.ToDictionary(c => c.File.Name, c => c.Bytes);
        DataFile Published(DataFile file) => published.TryGetValue(file.Name, out var bytes)
            ? file with { ContentSize = bytes.Length, ContentSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) }
            : file;
        return dataSet with
        {
            TrainImages = Published(dataSet.TrainImages), TrainLabels = Published(dataSet.TrainLabels),
            TestImages = Published(dataSet.TestImages), TestLabels = Published(dataSet.TestLabels),
        };
    }

    private static IEnumerable<(DataFile File, byte[] Bytes)> SyntheticFiles()
    {
        var mnist = DataSet.Mnist;
        foreach (var (images, labels, count) in new[] { (mnist.TrainImages, mnist.TrainLabels, SyntheticTrainCount), (mnist.TestImages, mnist.TestLabels, SyntheticTestCount) })
        {
            yield return (images, Images(count, GradientPixels(count)));
            yield return (labels, Labels(count));
        }
    }
}
