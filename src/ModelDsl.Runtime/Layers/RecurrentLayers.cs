using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A one-layer recurrent network over a batch-first B×T×F batch, as the <c>[LSTM]</c> and <c>[GRU]</c> attributes
/// generate it: a <c>Module&lt;Tensor, Tensor&gt;</c> giving the last hidden state (B×units) or every step's
/// (B×T×units), where TorchSharp's own modules return a tuple of the sequence and the final states.
/// </summary>
public abstract class RecurrentLayer : nn.Module<Tensor, Tensor>
{
    private protected RecurrentLayer(string name, bool returnSequences) : base(name) => ReturnSequences = returnSequences;

    /// <summary>Whether <see cref="forward"/> returns every step's hidden state rather than the last one.</summary>
    public bool ReturnSequences { get; }

    /// <summary>The network's outputs: every step's hidden state (B×T×units) and the final states (1×B×units each).</summary>
    private protected abstract (Tensor Sequence, Tensor[] FinalStates) Run(Tensor input);

    /// <summary>B×T×F → B×units, or B×T×units with <see cref="ReturnSequences"/>.</summary>
    public override Tensor forward(Tensor input)
    {
        var (sequence, finalStates) = Run(input);
        if (ReturnSequences)
        {
            foreach (var state in finalStates) state.Dispose();
            return sequence;
        }
        // The final hidden state is the last step of the sequence; its first axis counts layers (here one).
        var last = finalStates[0].select(0, -1);
        sequence.Dispose();
        foreach (var state in finalStates) state.Dispose();
        return last;
    }
}

/// <summary>TorchSharp's <c>LSTM</c> (one layer, batch first) as a layer: its weights are <c>lstm.weight_ih_l0</c>, … in state_dict.</summary>
public sealed class LstmLayer : RecurrentLayer
{
    private readonly LSTM lstm;

    /// <summary>An LSTM from <paramref name="inputSize"/> features to <paramref name="units"/>, with TorchSharp's initialisation.</summary>
    public LstmLayer(long inputSize, long units, bool returnSequences) : base(nameof(LstmLayer), returnSequences)
    {
        lstm = nn.LSTM(inputSize, units, batchFirst: true);
        RegisterComponents();
    }

    private protected override (Tensor Sequence, Tensor[] FinalStates) Run(Tensor input)
    {
        var (sequence, hidden, cell) = lstm.forward(input);
        return (sequence, [hidden, cell]);
    }
}

/// <summary>TorchSharp's <c>GRU</c> (one layer, batch first) as a layer: its weights are <c>gru.weight_ih_l0</c>, … in state_dict.</summary>
public sealed class GruLayer : RecurrentLayer
{
    private readonly GRU gru;

    /// <summary>A GRU from <paramref name="inputSize"/> features to <paramref name="units"/>, with TorchSharp's initialisation.</summary>
    public GruLayer(long inputSize, long units, bool returnSequences) : base(nameof(GruLayer), returnSequences)
    {
        gru = nn.GRU(inputSize, units, batchFirst: true);
        RegisterComponents();
    }

    private protected override (Tensor Sequence, Tensor[] FinalStates) Run(Tensor input)
    {
        var (sequence, hidden) = gru.forward(input);
        return (sequence, [hidden]);
    }
}
