using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class LstmRule : LayerRule
{
    public override string AttributeName => nameof(LSTMAttribute);

    public override Layer Parse(LayerArguments arguments) =>
        new RecurrentLayer(RecurrentCell.Lstm, arguments.Int("units"), arguments.Bool("returnSequences"));
}

internal sealed class GruRule : LayerRule
{
    public override string AttributeName => nameof(GRUAttribute);

    public override Layer Parse(LayerArguments arguments) =>
        new RecurrentLayer(RecurrentCell.Gru, arguments.Int("units"), arguments.Bool("returnSequences"));
}

/// <summary>A recurrent cell kind: its attribute's name, Keras' name, the runtime module and its gate count.</summary>
/// <param name="Gates">Weight blocks per matrix: PyTorch stacks the gates' weights (LSTM 4, GRU 3).</param>
internal sealed record RecurrentCell(string Kind, string KerasName, string RuntimeType, int Gates)
{
    public static readonly RecurrentCell Lstm = new("LSTM", "lstm", "global::ModelDsl.LstmLayer", 4);

    public static readonly RecurrentCell Gru = new("GRU", "gru", "global::ModelDsl.GruLayer", 3);
}

/// <summary>
/// PyTorch's one-layer LSTM or GRU over a per-sample T×F sequence, batch first: the last hidden state (T×F → units)
/// or every step's (T×F → T×units). The module is ModelDsl.Runtime's wrapper, which returns that one tensor where
/// TorchSharp's modules return a tuple with the final states.
/// </summary>
internal sealed record RecurrentLayer(RecurrentCell Cell, int Units, bool ReturnSequences) : Layer
{
    public override string Kind => Cell.Kind;

    public override string KerasName => Cell.KerasName;

    protected override IReadOnlyList<string> Arguments() =>
        ReturnSequences ? [Number(Units), "returnSequences: true"] : [Number(Units)];

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (Units < 1) yield return ("units", $"units must be at least 1, not {Units}");
    }

    // On one vector per sample PyTorch would take the whole batch as one unbatched sequence.
    public override string? RequiredRank(int rank) => rank == 2 ? null : "a steps×features (T×F) input";

    public override ShapeResult Apply(Shape input) =>
        ShapeResult.Ok(ReturnSequences ? input.WithLast(Units) : Shape.Of(Units));

    /// <summary>Per gate: input and recurrent weights and PyTorch's two biases (Keras keeps one).</summary>
    public override long Parameters(Shape input) => Cell.Gates * (input.Last * Units + (long)Units * Units + 2L * Units);

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, Cell.RuntimeType,
            $"new {Cell.RuntimeType}(inputSize: {input.Last}, units: {Units}, returnSequences: {(ReturnSequences ? "true" : "false")})")];

    // The runtime module writes its nodes: ONNX orders the gates' weights differently from PyTorch.
    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [$"{field}.WriteOnnx({OnnxCode.Graph}, {OnnxCode.Input}, \"{field}\")"];

    public override IEnumerable<LayerVariant> Variants(Shape target)
    {
        if (target.Rank >= 1 && target.Last != Units) yield return new($"units {target.Last}", this with { Units = (int)target.Last });
        yield return new($"returnSequences: {(ReturnSequences ? "false" : "true")}", this with { ReturnSequences = !ReturnSequences });
    }
}
