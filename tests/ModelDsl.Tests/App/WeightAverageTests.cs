using Models.Mnist.Training;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary>The generator's weight average (<c>--ema</c>) against its closed form.</summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class WeightAverageTests
{
    private static nn.Module<Tensor, Tensor> Network() => nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2));

    private static void Fill(nn.Module module, float value)
    {
        using var noGrad = no_grad();
        foreach (var (_, parameter) in module.named_parameters()) parameter.fill_(value);
        foreach (var (_, buffer) in module.named_buffers()) buffer.fill_(value);
    }

    [Fact]
    public void An_update_moves_the_weights_by_the_decay_and_copies_the_batch_norm_statistics()
    {
        using var live = Network();
        using var average = WeightAverage.Copy(live, Network);
        Fill(average, 1);
        Fill(live, 3);

        // After many updates the decay is the one asked for: 0.9·1 + 0.1·3.
        WeightAverage.Update(average, live, decay: 0.9, updates: 1_000_000);
        Assert.All(average.named_parameters(), p => Assert.True(p.parameter.allclose(full_like(p.parameter, 1.2f)), p.name));
        Assert.All(average.named_buffers(), b => Assert.True(b.buffer.to(ScalarType.Float32).allclose(full_like(b.buffer, 3).to(ScalarType.Float32)), b.name));

        // At the first update the decay is (1 + 0) / (10 + 0) = 0.1, whatever the one asked for: mostly the live weights.
        Fill(average, 1);
        WeightAverage.Update(average, live, decay: 0.999, updates: 0);
        Assert.All(average.named_parameters(), p => Assert.True(p.parameter.allclose(full_like(p.parameter, 0.1f * 1 + 0.9f * 3)), p.name));
    }

    [Fact]
    public void A_copy_holds_the_same_weights_trains_nothing_and_draws_no_random_numbers()
    {
        using var live = Network();
        manual_seed(11);
        using var copy = WeightAverage.Copy(live, Network);
        using var drawn = randn(4);
        manual_seed(11);
        using var expected = randn(4);

        Assert.True(drawn.equal(expected).all().item<bool>());
        foreach (var ((name, kept), (_, original)) in copy.named_parameters().Zip(live.named_parameters()))
        {
            Assert.True(kept.equal(original).all().item<bool>(), name);
            Assert.False(kept.requires_grad, name);
        }
    }
}
