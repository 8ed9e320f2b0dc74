using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>MNIST images (N×1×28×28, in the range a recipe wants) with their digits (N, int64).</summary>
internal sealed record LabelledImages(Tensor Images, Tensor Labels) : IDisposable
{
    public long Count => Images.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
