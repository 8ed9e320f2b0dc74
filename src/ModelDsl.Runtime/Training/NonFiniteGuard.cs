using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>What a training loop does when a loss or gradient is NaN or ±∞.</summary>
public enum NonFinitePolicy
{
    /// <summary>Throw <see cref="NonFiniteTrainingException"/> before the optimizer step, so parameters and checkpoints keep the last good values.</summary>
    Stop,

    /// <summary>Leave out this optimizer step (the next <c>zero_grad</c> discards the bad gradients) and count it.</summary>
    SkipStep,
}

/// <summary>One tensor that held non-finite values.</summary>
/// <param name="Name">"loss d_loss" or "gradient of discriminator.conv2d_0.weight".</param>
public sealed record NonFiniteTensor(string Name, long NaNCount, long InfinityCount, long ElementCount)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name} ({Describe(NaNCount, "NaN")}{(NaNCount > 0 && InfinityCount > 0 ? ", " : "")}{Describe(InfinityCount, "±Inf")} of {ElementCount:#,0})";

    private static string Describe(long count, string what) => count > 0 ? $"{count:#,0} {what}" : "";
}

/// <summary>The non-finite tensors found before one optimizer step.</summary>
/// <param name="Step">The training loop's step number.</param>
/// <param name="Tensors">The offending tensors, the loss first, then gradients in parameter order.</param>
public sealed record NonFiniteStep(long Step, IReadOnlyList<NonFiniteTensor> Tensors)
{
    /// <summary>"step 17: gradient of discriminator.conv2d_0.weight (3 NaN of 576)".</summary>
    public override string ToString() => $"step {Step}: {string.Join("; ", Tensors)}";
}

/// <summary>Thrown by <see cref="NonFiniteGuard"/> under <see cref="NonFinitePolicy.Stop"/>.</summary>
public sealed class NonFiniteTrainingException(NonFiniteStep finding)
    : Exception($"Training stopped at {finding}. The optimizer step was not taken, so the parameters (and any checkpoint) hold the last good values. " +
                "To leave such steps out and count them instead, use the skip policy.")
{
    /// <summary>Where and what.</summary>
    public NonFiniteStep Finding { get; } = finding;
}

/// <summary>
/// Checks a loss and the gradients of the models it trains after <c>backward()</c> and before
/// <c>optimizer.step()</c>. One reduction decides the common all-finite case; only then does it
/// look tensor by tensor to name the culprit.
/// </summary>
/// <example><code>
/// dLoss.backward();
/// if (guard.ShouldStep(step, "d_loss", dLoss, ("discriminator", discriminator))) dOptimizer.step();
/// </code></example>
public sealed class NonFiniteGuard(NonFinitePolicy policy = NonFinitePolicy.Stop)
{
    /// <summary>Stop or skip.</summary>
    public NonFinitePolicy Policy { get; } = policy;

    /// <summary>Optimizer steps left out so far (under <see cref="NonFinitePolicy.SkipStep"/>).</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>The most recent step left out, or null.</summary>
    public NonFiniteStep? LastSkipped { get; private set; }

    /// <summary>
    /// What a skipped step must put back: the buffers of <paramref name="models"/> before the step's forward pass
    /// (<see cref="BufferSnapshot"/>), under <see cref="NonFinitePolicy.SkipStep"/>; nothing under
    /// <see cref="NonFinitePolicy.Stop"/>, where no step is skipped, so a training step copies no buffers.
    /// </summary>
    public BufferSnapshot KeepBuffers(params nn.Module[] models) =>
        Policy == NonFinitePolicy.SkipStep ? BufferSnapshot.Of(models) : BufferSnapshot.Of();

    /// <summary>
    /// True when <paramref name="loss"/> and every gradient of <paramref name="models"/> are finite, so the
    /// caller takes the optimizer step; false (counted) under <see cref="NonFinitePolicy.SkipStep"/> otherwise.
    /// </summary>
    /// <param name="step">The loop's step number, for the message.</param>
    /// <param name="lossName">The loss's name in messages, e.g. "d_loss".</param>
    /// <param name="loss">The loss that was back-propagated.</param>
    /// <param name="models">The models this optimizer step updates, with the names used in messages; parameters without a gradient are ignored.</param>
    /// <exception cref="NonFiniteTrainingException">Under <see cref="NonFinitePolicy.Stop"/>, naming the step and every non-finite tensor.</exception>
    public bool ShouldStep(long step, string lossName, Tensor loss, params (string Name, nn.Module Model)[] models)
    {
        var checkedTensors = new List<(string Name, Tensor Value)> { ("loss " + lossName, loss) };
        foreach (var (modelName, model) in models)
            foreach (var (parameterName, parameter) in model.named_parameters())
                if (parameter.grad is { } gradient) checkedTensors.Add(($"gradient of {modelName}.{parameterName}", gradient));

        if (AllFinite(checkedTensors)) return true;

        var offenders = FindNonFinite(checkedTensors);
        // The sum over all tensors can overflow although each is finite: then there is nothing to report.
        if (offenders.Count == 0) return true;

        var finding = new NonFiniteStep(step, offenders);
        if (Policy == NonFinitePolicy.Stop) throw new NonFiniteTrainingException(finding);
        SkippedSteps++;
        LastSkipped = finding;
        return false;
    }

    private static bool AllFinite(List<(string Name, Tensor Value)> tensors)
    {
        using var scope = NewDisposeScope();
        var total = zeros(1, ScalarType.Float64);
        foreach (var (_, value) in tensors) total.add_(value.detach().sum(ScalarType.Float64));
        return double.IsFinite(total.item<double>());
    }

    private static List<NonFiniteTensor> FindNonFinite(List<(string Name, Tensor Value)> tensors)
    {
        using var scope = NewDisposeScope();
        var offenders = new List<NonFiniteTensor>();
        foreach (var (name, value) in tensors)
        {
            var detached = value.detach();
            var nanCount = isnan(detached).sum().item<long>();
            var infinityCount = isinf(detached).sum().item<long>();
            if (nanCount + infinityCount > 0) offenders.Add(new NonFiniteTensor(name, nanCount, infinityCount, detached.numel()));
        }
        return offenders;
    }
}
