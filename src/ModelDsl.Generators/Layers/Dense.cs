using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class DenseRule : LayerRule
{
    public override string AttributeName => nameof(DenseAttribute);

    public override Layer Parse(LayerArguments arguments) => new DenseLayer(arguments.Int("units")) { Init = arguments.Init(), UseBias = arguments.Bool("useBias") };
}

/// <summary>PyTorch's Linear over the last axis; in-features come from the incoming shape.</summary>
internal sealed record DenseLayer(int Units) : WeightedLayer
{
    public override string Kind => "Dense";

    public override string KerasName => "dense";

    protected override IReadOnlyList<string> ArgumentsBeforeInit() => [Number(Units)];

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        foreach (var problem in base.Problems()) yield return problem;
        if (Units < 1) yield return ("units", $"units must be at least 1, not {Units}");
    }

    public override string? RequiredRank(int rank) => RequireAxes(rank);

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(input.WithLast(Units));

    public override long Parameters(Shape input) => input.Last * Units + BiasParameters(Units);

    protected override (long In, long Out) Fans(Shape input) => (input.Last, Units);

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [Initialized(new ModuleCode(field, "global::TorchSharp.Modules.Linear", $"global::TorchSharp.torch.nn.Linear(inputSize: {input.Last}, outputSize: {Units}{(HasBias ? "" : ", hasBias: false")})"), input)];

    /// <summary>Gemm on one vector per sample; over the last axis of more, MatMul by the transposed weight, then the bias.</summary>
    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field)
    {
        var bias = OnnxCode.Weight(field, "bias");
        if (input.Rank == 1)
            return [OnnxCode.Node("Gemm", HasBias ? [OnnxCode.Input, OnnxCode.Weight(field, "weight"), bias] : [OnnxCode.Input, OnnxCode.Weight(field, "weight")], OnnxCode.Int("transB", 1))];
        var product = OnnxCode.Node("MatMul", [OnnxCode.Input, OnnxCode.Weight(field, "weight_t", field + ".weight!.t()")]);
        return HasBias ? [product, OnnxCode.Node("Add", [OnnxCode.Input, bias])] : [product];
    }

    public override IEnumerable<LayerVariant> Variants(Shape target)
    {
        if (target.Rank >= 1 && target.Last != Units) yield return new($"units {target.Last}", this with { Units = (int)target.Last });
    }
}
