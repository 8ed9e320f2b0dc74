using Models.Mnist.Data;
using Models.Mnist.Imaging;
using ModelDsl.TestSupport;
using static TorchSharp.torch;

namespace ModelDsl.Bench.Numerics;

/// <summary>MNIST training images as an N×1×28×28 float tensor in [0, 1], the DCGAN recipe's input.</summary>
internal static class Mnist
{
    /// <summary>The (first <paramref name="limit"/>) images from <paramref name="folder"/>; never downloads (benchmarks must not depend on the network).</summary>
    public static Tensor LoadTrainImages(string folder, int? limit = null)
    {
        var set = new MnistStore(DataSet.Mnist, MnistLocation.Resolve(folder, DataSet.Mnist), downloader: null).LoadAsync(MnistSplit.Train, limit).GetAwaiter().GetResult();
        var (images, labels) = set.ToTensors(PixelRange.ZeroToOne);
        labels.Dispose();
        return images;
    }

    /// <summary>$MODELDSL_DATA, else ../shared/data/mnist next to the repository, as the tests read it.</summary>
    public static string DefaultFolder() =>
        Environment.GetEnvironmentVariable(MnistLocation.EnvironmentVariableName) is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepoRoot.Path, "..", "shared", "data", "mnist");
}
