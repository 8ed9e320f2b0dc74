using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>MNIST images (N×1×28×28, in the range a recipe wants) with their digits (N, int64).</summary>
internal sealed record LabelledImages(Tensor Images, Tensor Labels) : IDisposable
{
    public long Count => Images.shape[0];

    /// <summary>
    /// The images of the classes <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 in their
    /// order, each labelled from 0 (so the digits 5–9 become the classes 0–4 of a 5-way classifier).
    /// </summary>
    public LabelledImages OfClasses(long first, long count)
    {
        using var scope = NewDisposeScope();
        var chosen = Labels.ge(first).logical_and(Labels.lt(first + count)).nonzero().squeeze(1);
        return new LabelledImages(Images.index_select(0, chosen).MoveToOuterDisposeScope(), (Labels.index_select(0, chosen) - first).MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
