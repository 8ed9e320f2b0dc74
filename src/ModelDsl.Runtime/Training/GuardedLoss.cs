using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>Losses that hand a non-finite input on to <see cref="NonFiniteGuard"/> instead of failing inside libtorch.</summary>
public static class GuardedLoss
{
    /// <summary>
    /// Mean binary cross-entropy of probabilities against targets, exactly libtorch's <c>binary_cross_entropy</c> when
    /// every probability is finite. libtorch refuses a probability outside [0, 1] with "all elements of input should
    /// be between 0 and 1", and NaN is outside, so a NaN verdict would end a run with that error from deep inside the
    /// loss; here it gives a NaN loss still attached to the graph, which the guard then reports (naming the step and
    /// the tensor) or skips.
    /// </summary>
    public static Tensor BinaryCrossEntropy(Tensor probability, Tensor target)
    {
        using (var finite = probability.isfinite().all())
            if (finite.item<bool>()) return nn.functional.binary_cross_entropy(probability, target);
        return probability.mean() * float.NaN;
    }
}
