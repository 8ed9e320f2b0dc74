using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// The buffers of some models (batch normalisation's running statistics) as they were before a training step's
/// forward pass, which updates them whether or not the optimizer step follows. A step that
/// <see cref="NonFiniteGuard"/> skips puts them back with <see cref="Restore"/>; otherwise a single NaN batch would
/// leave NaN running statistics behind, and every evaluation after it would be NaN although no weight changed.
/// </summary>
/// <example><code>
/// using var buffers = guard.KeepBuffers(model);
/// var loss = …; loss.backward();
/// if (guard.ShouldStep(step, "loss", loss, ("model", model))) optimizer.step(); else buffers.Restore();
/// </code></example>
public sealed class BufferSnapshot : IDisposable
{
    private readonly List<(Tensor Buffer, Tensor Copy)> saved;

    private BufferSnapshot(List<(Tensor, Tensor)> saved) => this.saved = saved;

    /// <summary>
    /// Copies every buffer of <paramref name="models"/> (none for models without buffers), counters such as
    /// batch normalisation's <c>num_batches_tracked</c> included.
    /// </summary>
    public static BufferSnapshot Of(params nn.Module[] models)
    {
        var saved = new List<(Tensor, Tensor)>();
        foreach (var model in models)
            foreach (var buffer in model.buffers())
                saved.Add((buffer, buffer.detach().clone().DetachFromDisposeScope()));
        return new BufferSnapshot(saved);
    }

    /// <summary>Writes the saved values back into the buffers.</summary>
    public void Restore()
    {
        using var noGrad = no_grad();
        foreach (var (buffer, copy) in saved) buffer.copy_(copy);
    }

    /// <summary>Frees the copies; the buffers keep whatever they hold now.</summary>
    public void Dispose()
    {
        foreach (var (_, copy) in saved) copy.Dispose();
    }
}
