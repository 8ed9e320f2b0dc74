namespace ModelDsl.Training;

/// <summary>
/// The order in which items are grouped into mini-batches, epoch after epoch: a seeded shuffle (reproducible
/// for a given seed, different each epoch) or the items in order.
/// </summary>
internal sealed class BatchOrder
{
    private readonly int[] _order;
    private readonly int _batchSize;
    private readonly bool _dropLast;
    private readonly Random? _random;

    /// <summary>Creates the order for <paramref name="count"/> items.</summary>
    /// <param name="count">How many items there are.</param>
    /// <param name="batchSize">Items per batch.</param>
    /// <param name="shuffle">Whether to shuffle each epoch.</param>
    /// <param name="seed">Seeds the shuffle.</param>
    /// <param name="dropLast">Whether to skip a last batch smaller than <paramref name="batchSize"/>.</param>
    public BatchOrder(int count, int batchSize, bool shuffle = true, int seed = 0, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _order = new int[count];
        for (var i = 0; i < count; i++)
        {
            _order[i] = i;
        }
        _batchSize = batchSize;
        _dropLast = dropLast;
        _random = shuffle ? new Random(seed) : null;
    }

    /// <summary>How many batches one epoch yields.</summary>
    public int BatchesPerEpoch => _dropLast ? _order.Length / _batchSize : (_order.Length + _batchSize - 1) / _batchSize;

    /// <summary>
    /// The item indices of each batch of the next epoch. Each call starts a new epoch; consume one epoch before
    /// starting the next, as they share the underlying order.
    /// </summary>
    public IEnumerable<long[]> NextEpoch()
    {
        _random?.Shuffle(_order);
        return Batches();
    }

    private IEnumerable<long[]> Batches()
    {
        for (var batch = 0; batch < BatchesPerEpoch; batch++)
        {
            var start = batch * _batchSize;
            var size = Math.Min(_batchSize, _order.Length - start);
            var indices = new long[size];
            for (var i = 0; i < size; i++)
            {
                indices[i] = _order[start + i];
            }
            yield return indices;
        }
    }
}
