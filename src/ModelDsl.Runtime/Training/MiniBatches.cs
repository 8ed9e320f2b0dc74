using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Mini-batches of matching rows of an images tensor and a labels tensor, in the order of a
/// <see cref="BatchOrder"/>. Batches are gathered on the device the tensors live on.
/// </summary>
public sealed class MiniBatches
{
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private readonly BatchOrder _order;

    /// <summary>Creates batches over the first dimension of <paramref name="images"/> and <paramref name="labels"/>.</summary>
    /// <param name="images">The images, N×…; stays the caller's to dispose.</param>
    /// <param name="labels">The labels, N; stays the caller's to dispose.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="shuffle">Whether to shuffle each epoch.</param>
    /// <param name="seed">Seeds the shuffle.</param>
    /// <param name="dropLast">Whether to skip a last batch smaller than <paramref name="batchSize"/>.</param>
    public MiniBatches(Tensor images, Tensor labels, int batchSize, bool shuffle = true, int seed = 0, bool dropLast = false)
    {
        if (images.shape[0] != labels.shape[0])
        {
            throw new ArgumentException($"{images.shape[0]} images but {labels.shape[0]} labels.", nameof(labels));
        }
        _images = images;
        _labels = labels;
        _order = new BatchOrder(checked((int)images.shape[0]), batchSize, shuffle, seed, dropLast);
    }

    /// <summary>How many batches one epoch yields.</summary>
    public int BatchesPerEpoch => _order.BatchesPerEpoch;

    /// <summary>
    /// The batches of the next epoch. Each batch's tensors are new and belong to the caller (dispose them, or
    /// use a dispose scope).
    /// </summary>
    public IEnumerable<(Tensor Images, Tensor Labels)> NextEpoch()
    {
        foreach (var indices in _order.NextEpoch())
        {
            using var index = tensor(indices, ScalarType.Int64, _images.device);
            yield return (_images.index_select(0, index), _labels.index_select(0, index));
        }
    }
}
