using Models.Mnist.Imaging;
using static TorchSharp.torch;

namespace Models.Mnist.Data;

/// <summary>Turns an <see cref="MnistSet"/> into TorchSharp tensors.</summary>
public static class MnistTensors
{
    // Scaling goes through a small reused buffer, so no managed copy of the whole float data is made.
    private const int ChunkPixels = 1 << 16;

    /// <summary>
    /// The images as an N×1×28×28 float32 tensor scaled to <paramref name="range"/>, and the labels as an N int64
    /// tensor, both on the CPU.
    /// </summary>
    public static (Tensor Images, Tensor Labels) ToTensors(this MnistSet set, PixelRange range)
    {
        var images = empty([set.Count, 1, MnistSet.ImageSide, MnistSet.ImageSide], ScalarType.Float32);
        try
        {
            var pixels = set.Pixels.Span;
            using var accessor = images.data<float>();
            var chunk = new float[Math.Min(ChunkPixels, pixels.Length)];
            for (var start = 0; start < pixels.Length; start += chunk.Length)
            {
                var length = Math.Min(chunk.Length, pixels.Length - start);
                PixelScaling.ToFloats(pixels.Slice(start, length), chunk.AsSpan(0, length), range);
                accessor.CopyFrom(chunk.AsSpan(0, length), 0, start);
            }

            var digits = set.Labels.Span;
            var labels = new long[digits.Length];
            for (var i = 0; i < labels.Length; i++)
            {
                labels[i] = digits[i];
            }
            return (images, tensor(labels, ScalarType.Int64));
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }
}
