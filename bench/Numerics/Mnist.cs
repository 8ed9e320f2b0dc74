using System.IO.Compression;
using static TorchSharp.torch;

namespace ModelDsl.Bench.Numerics;

/// <summary>MNIST training images as an N×1×28×28 float tensor in [0, 1], the DCGAN recipe's input.</summary>
internal static class Mnist
{
    private const int ImagesMagic = 0x00000803;

    /// <summary>The images from <paramref name="folder"/>, or null when the file is not there.</summary>
    public static Tensor? TryLoadTrainImages(string folder)
    {
        var path = Path.Combine(folder, "train-images-idx3-ubyte.gz");
        if (!File.Exists(path)) return null;

        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new BinaryReader(stream);
        if (ReadBigEndian(reader) != ImagesMagic) throw new InvalidDataException($"{path} is not an IDX image file.");
        var (count, rows, columns) = (ReadBigEndian(reader), ReadBigEndian(reader), ReadBigEndian(reader));
        var pixels = reader.ReadBytes(count * rows * columns);
        return tensor(pixels, [count, 1, rows, columns]).to(ScalarType.Float32).div_(255);
    }

    /// <summary>$MODELDSL_DATA, else ../shared/data/mnist above the repository root.</summary>
    public static string DefaultFolder()
    {
        if (Environment.GetEnvironmentVariable("MODELDSL_DATA") is { Length: > 0 } configured) return configured;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "ModelDsl.sln")))
                return Path.Combine(directory.FullName, "..", "shared", "data", "mnist");
        return Path.Combine("..", "shared", "data", "mnist");
    }

    private static int ReadBigEndian(BinaryReader reader) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(reader.ReadBytes(4));
}
