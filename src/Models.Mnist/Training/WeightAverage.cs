using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// An exponential moving average of a generator's weights (<c>--ema</c>; Yazıcı et al. 2019, "The unusual effectiveness of
/// averaging in GAN training"): a GAN's generator circles around good weights rather than settling, and the average of
/// its recent weights draws cleaner images than any one of them. Samples and evaluations read the average; the
/// generator that learns is untouched.
/// </summary>
internal static class WeightAverage
{
    /// <summary>The average's name in checkpoints, which <c>generate</c> and <c>evaluate</c> read instead of the generator when a file has it.</summary>
    public const string CheckpointName = "generator_ema";

    /// <summary>
    /// Moves <paramref name="average"/> towards <paramref name="live"/> after its <paramref name="updates"/>-th update: weights
    /// by the decay, batch-norm statistics copied (they describe the live weights' activations). The decay starts low and
    /// grows to <paramref name="decay"/> as TensorFlow's ExponentialMovingAverage does with num_updates, so the average does
    /// not carry the untrained first steps for thousands of steps.
    /// </summary>
    public static void Update(nn.Module average, nn.Module live, double decay, long updates)
    {
        var rate = Math.Min(decay, (1.0 + updates) / (10.0 + updates));
        using var noGrad = no_grad();
        foreach (var ((_, kept), (_, current)) in average.named_parameters().Zip(live.named_parameters()))
            kept.mul_(rate).add_(current, alpha: 1 - rate);
        foreach (var ((_, kept), (_, current)) in average.named_buffers().Zip(live.named_buffers()))
            kept.copy_(current);
    }

    /// <summary>A copy of <paramref name="live"/>'s weights and buffers in a new module of <paramref name="create"/>, made without drawing from libtorch's generator (so a run with the average trains the same as one without).</summary>
    public static TModule Copy<TModule>(TModule live, Func<TModule> create) where TModule : nn.Module
    {
        using var randomState = random.get_rng_state();
        var copy = create();
        random.set_rng_state(randomState);
        using var noGrad = no_grad();
        foreach (var ((_, kept), (_, current)) in copy.named_parameters().Zip(live.named_parameters()))
        {
            kept.copy_(current);
            kept.requires_grad = false;
        }
        foreach (var ((_, kept), (_, current)) in copy.named_buffers().Zip(live.named_buffers()))
            kept.copy_(current);
        return copy;
    }
}
