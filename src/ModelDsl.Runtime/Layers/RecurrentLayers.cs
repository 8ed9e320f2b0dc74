using ModelDsl.Export;
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

    /// <summary>The ONNX operator, where ONNX puts each of PyTorch's gate blocks, and the operator's other attributes.</summary>
    private protected abstract (string Operator, long[] GateOrder, OnnxAttribute[] Attributes) OnnxCell { get; }

    /// <summary>The module holding weight_ih_l0, weight_hh_l0, bias_ih_l0 and bias_hh_l0.</summary>
    private protected abstract nn.Module Network { get; }

    /// <summary>
    /// Writes the layer as ONNX's LSTM or GRU on <paramref name="input"/> (B×T×F): the sequence axis first, as the
    /// operator's default layout takes it; PyTorch's gate blocks in ONNX's order; its two biases side by side.
    /// <paramref name="name"/> prefixes the initializers. Returns the B×units or B×T×units value.
    /// </summary>
    public string WriteOnnx(IOnnxGraph graph, string input, string name)
    {
        var (operatorType, gateOrder, attributes) = OnnxCell;
        var weights = Network.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        Tensor Gates(string weight)
        {
            var blocks = weights[weight].chunk(gateOrder.Length, 0);
            return cat(gateOrder.Select(gate => blocks[gate]).ToList(), 0);
        }
        var hiddenSize = weights["weight_hh_l0"].shape[1];
        var sequenceFirst = graph.Node("Transpose", [input], OnnxAttribute.Ints("perm", 1, 0, 2));
        var outputs = graph.Node(operatorType,
            [sequenceFirst, graph.Weight(name + ".W", Gates("weight_ih_l0").unsqueeze(0)), graph.Weight(name + ".R", Gates("weight_hh_l0").unsqueeze(0)),
             graph.Weight(name + ".B", cat([Gates("bias_ih_l0"), Gates("bias_hh_l0")], 0).unsqueeze(0))],
            2, [OnnxAttribute.Int("hidden_size", hiddenSize), .. attributes]);
        if (!ReturnSequences)
            return graph.Node("Squeeze", [outputs[1], graph.Constant(name + ".directions_axis", 0)]);
        var steps = graph.Node("Squeeze", [outputs[0], graph.Constant(name + ".directions_axis", 1)]);
        return graph.Node("Transpose", [steps], OnnxAttribute.Ints("perm", 1, 0, 2));
    }

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

    // PyTorch's gates are input, forget, cell, output; ONNX's input, output, forget, cell.
    private protected override (string Operator, long[] GateOrder, OnnxAttribute[] Attributes) OnnxCell => ("LSTM", [0, 3, 1, 2], []);

    private protected override nn.Module Network => lstm;
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

    // PyTorch's gates are reset, update, new; ONNX's update, reset, hidden, with the reset applied after the recurrent product as PyTorch does.
    private protected override (string Operator, long[] GateOrder, OnnxAttribute[] Attributes) OnnxCell => ("GRU", [1, 0, 2], [OnnxAttribute.Int("linear_before_reset", 1)]);

    private protected override nn.Module Network => gru;
}
