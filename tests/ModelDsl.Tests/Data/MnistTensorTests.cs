using Models.Mnist.Data;
using Models.Mnist.Imaging;
using ModelDsl.Tests.Support;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Data;

/// <summary>The TorchSharp side; needs libtorch to load (run with --filter "Needs=libtorch").</summary>
[Trait("Needs", "libtorch")]
public sealed class MnistTensorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private MnistSet GradientImages(int count) => IdxFiles.GradientSet(_folder, count);

    [Theory]
    [InlineData(PixelRange.ZeroToOne, 0f)]
    [InlineData(PixelRange.MinusOneToOne, -1f)]
    public void A_set_becomes_float_images_and_int64_labels(PixelRange range, float black)
    {
        var set = GradientImages(300);

        var (images, labels) = set.ToTensors(range);
        using var _ = images;
        using var __ = labels;

        Assert.Equal([300L, 1, 28, 28], images.shape);
        Assert.Equal(ScalarType.Float32, images.dtype);
        Assert.Equal([300L], labels.shape);
        Assert.Equal(ScalarType.Int64, labels.dtype);
        Assert.Equal(black, images.min().item<float>());
        Assert.Equal(1f, images.max().item<float>());
        Assert.Equal(set.Labels.ToArray().Select(l => (long)l), labels.data<long>().ToArray());
        var expected = new float[set.Pixels.Length];
        PixelScaling.ToFloats(set.Pixels.Span, expected, range);
        Assert.Equal(expected, images.data<float>().ToArray());
    }

    [Fact]
    public void Mini_batches_gather_matching_images_and_labels()
    {
        var (images, labels) = GradientImages(100).ToTensors(PixelRange.ZeroToOne);
        using var _ = images;
        using var __ = labels;
        var batches = new MiniBatches(images, labels, batchSize: 32, seed: 7);

        var epoch = batches.NextEpoch().ToList();

        Assert.Equal(4, batches.BatchesPerEpoch);
        Assert.Equal([32L, 32, 32, 4], epoch.Select(b => b.Images.shape[0]));
        Assert.All(epoch, b => Assert.Equal([1L, 28, 28], b.Images.shape[1..]));
        // Every image is still paired with its own label: look each batch image up in the full set.
        var all = images.reshape(100, -1);
        foreach (var (batchImages, batchLabels) in epoch)
        {
            using var distances = cdist(batchImages.reshape(batchImages.shape[0], -1), all);
            using var nearest = distances.argmin(1);
            Assert.Equal(labels.index_select(0, nearest).data<long>().ToArray(), batchLabels.data<long>().ToArray());
            batchImages.Dispose();
            batchLabels.Dispose();
        }
        Assert.Equal(3, new MiniBatches(images, labels, batchSize: 32, dropLast: true).NextEpoch().Count());
    }

    [Fact]
    public void An_image_tensor_saves_as_a_grid_png()
    {
        var (images, labels) = GradientImages(20).ToTensors(PixelRange.MinusOneToOne);
        using var _ = images;
        using var __ = labels;
        var path = _folder.File("samples.png");

        TensorImages.SaveGrid(images, path, rows: 4, columns: 4, PixelRange.MinusOneToOne);

        var grid = PngFile.Load(path);
        Assert.Equal((4 * 28 + 5 * 2, 4 * 28 + 5 * 2), (grid.Width, grid.Height));
        var set = GradientImages(20);
        Assert.Equal(set.Pixels.Span[15 * 28 + 14], grid[2 + 14, 2 + 15]);
    }
}
