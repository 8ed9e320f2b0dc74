using System.Globalization;
using System.IO.Compression;
using Microsoft.ML.OnnxRuntime;

// dotnet run -- GENERATOR.onnx GRID.png [SEED]
// Draws a grid of digits from a generator written by `modeldsl-mnist export` (or ModelDsl.Onnx's OnnxExport.Save with
// the same metadata): a row per digit for a class-conditional generator, else 100 digits. The latent points come from
// System.Random of the seed exactly as `modeldsl-mnist generate` draws them, so the picture is the app's for that seed.
if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: OnnxDigits GENERATOR.onnx GRID.png [SEED]");
    return 2;
}
var seed = args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
using var session = new InferenceSession(args[0]);
var metadata = session.ModelMetadata.CustomMetadataMap;
if (!metadata.TryGetValue("latent_size", out var latentText))
{
    Console.Error.WriteLine($"{args[0]}: no latent_size in its metadata; export a GAN's generator");
    return 1;
}
var latentSize = int.Parse(latentText, CultureInfo.InvariantCulture);
var uniform = metadata["latent_prior"] == "uniform";
var classes = metadata.TryGetValue("classes", out var classText) ? int.Parse(classText, CultureInfo.InvariantCulture) : 0;
var (rows, columns) = classes > 0 ? (classes, 10) : (10, 10);
var count = rows * columns;

var random = new Random(seed);
var latent = new float[count * latentSize];
for (var i = 0; i < latent.Length; i++)
    latent[i] = uniform
        ? (float)(random.NextDouble() * 2 - 1)
        : (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
using var latentValue = OrtValue.CreateTensorValueFromMemory(latent, [count, latentSize]);
var inputs = new List<OrtValue> { latentValue };
if (classes > 0)
    inputs.Add(OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, count).Select(i => (long)(i / columns)).ToArray(), [count]));
using var options = new RunOptions();
using var outputs = session.Run(options, session.InputNames, inputs, session.OutputNames);
var shape = outputs[0].GetTensorTypeAndShape().Shape;
var (height, width) = ((int)shape[2], (int)shape[3]);
var images = outputs[0].GetTensorDataAsSpan<float>();

// The grid: images side by side with a 2-pixel gray border, pixels mapped from the generator's range to 0–255.
const int border = 2;
var (gridWidth, gridHeight) = (columns * (width + border) + border, rows * (height + border) + border);
var pixels = Enumerable.Repeat((byte)128, gridWidth * gridHeight).ToArray();
var (low, high) = metadata["pixel_range"] == "-1..1" ? (-1f, 1f) : (0f, 1f);
for (var n = 0; n < count; n++)
    for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var value = (images[(n * height + y) * width + x] - low) / (high - low);
            pixels[(border + n / columns * (height + border) + y) * gridWidth + border + n % columns * (width + border) + x] =
                (byte)Math.Round(Math.Clamp(value, 0, 1) * 255);
        }
File.WriteAllBytes(args[1], Png.Gray(gridWidth, gridHeight, pixels));
Console.WriteLine($"drew {count} digits ({rows}×{columns}, {gridWidth}×{gridHeight} pixels) from {args[0]} → {args[1]}");
inputs.Skip(1).ToList().ForEach(value => value.Dispose());
return 0;

/// <summary>A minimal PNG writer: one 8-bit grayscale image, zlib-compressed rows without filters.</summary>
internal static class Png
{
    public static byte[] Gray(int width, int height, byte[] pixels)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BigEndian(header, 0, width);
        BigEndian(header, 4, height);
        header[8] = 8; // bit depth; colour type 0 (gray), deflate, no filter, no interlace
        Chunk(file, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            for (var y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter type None
                zlib.Write(pixels, y * width, width);
            }
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void Chunk(Stream file, string type, byte[] data)
    {
        var typed = new byte[4 + data.Length];
        for (var i = 0; i < 4; i++) typed[i] = (byte)type[i];
        data.CopyTo(typed, 4);
        var length = new byte[4];
        BigEndian(length, 0, data.Length);
        file.Write(length);
        file.Write(typed);
        var crc = new byte[4];
        BigEndian(crc, 0, (int)Crc32(typed));
        file.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    private static void BigEndian(byte[] target, int offset, int value)
    {
        for (var i = 0; i < 4; i++) target[offset + i] = (byte)(value >> (24 - 8 * i));
    }
}
