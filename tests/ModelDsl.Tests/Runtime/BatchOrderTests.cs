using ModelDsl.Training;
using Xunit;

namespace ModelDsl.Tests.Runtime;

public sealed class BatchOrderTests
{
    [Fact]
    public void Each_epoch_covers_every_item_once_with_the_last_partial_batch_kept()
    {
        var order = new BatchOrder(count: 10, batchSize: 4, seed: 1);

        var batches = order.NextEpoch().ToList();

        Assert.Equal(3, order.BatchesPerEpoch);
        Assert.Equal([4, 4, 2], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), batches.SelectMany(b => b).Order());
    }

    [Fact]
    public void The_last_partial_batch_can_be_dropped()
    {
        var order = new BatchOrder(count: 10, batchSize: 4, seed: 1, dropLast: true);

        var batches = order.NextEpoch().ToList();

        Assert.Equal(2, order.BatchesPerEpoch);
        Assert.Equal([4, 4], batches.Select(b => b.Length));
        Assert.Equal(8, batches.SelectMany(b => b).Distinct().Count());
    }

    [Fact]
    public void A_seed_makes_the_shuffle_reproducible_and_epochs_differ()
    {
        long[] Epoch(BatchOrder order) => order.NextEpoch().SelectMany(b => b).ToArray();
        var first = new BatchOrder(count: 100, batchSize: 16, seed: 42);
        var second = new BatchOrder(count: 100, batchSize: 16, seed: 42);
        var other = new BatchOrder(count: 100, batchSize: 16, seed: 43);

        var epoch1 = Epoch(first);

        Assert.Equal(epoch1, Epoch(second));
        Assert.NotEqual(epoch1, Epoch(other));
        Assert.NotEqual(Enumerable.Range(0, 100).Select(i => (long)i), epoch1);
        Assert.NotEqual(epoch1, Epoch(first));
    }

    [Fact]
    public void Without_shuffling_items_come_in_order()
    {
        var order = new BatchOrder(count: 5, batchSize: 2, shuffle: false);

        Assert.Equal([[0, 1], [2, 3], [4]], order.NextEpoch());
        Assert.Equal([[0, 1], [2, 3], [4]], order.NextEpoch());
    }
}
