using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class BatchNormalizationRule : LayerRule
{
    public override string AttributeName => nameof(BatchNormalizationAttribute);

    public override Layer Parse(LayerArguments arguments) =>
        new BatchNormalizationLayer(arguments.Double("momentum"), arguments.Double("epsilon"));
}

/// <summary>
/// PyTorch's BatchNorm1d (features F, or C×L) or BatchNorm2d (C×H×W) over the first per-sample axis.
/// </summary>
internal sealed record BatchNormalizationLayer(double Momentum, double Epsilon) : Layer
{
    public override string Kind => "BatchNormalization";

    public override string KerasName => "batch_normalization";

    protected override IReadOnlyList<string> Arguments()
    {
        var arguments = new List<string>();
        if (Momentum != BatchNormalizationAttribute.DefaultMomentum) arguments.Add($"momentum: {Number(Momentum)}");
        if (Epsilon != BatchNormalizationAttribute.DefaultEpsilon) arguments.Add($"epsilon: {Number(Epsilon)}");
        return arguments;
    }

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (!(Momentum >= 0 && Momentum <= 1)) yield return ("momentum", $"momentum must be in [0, 1], not {Number(Momentum)}");
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon)) yield return ("epsilon", $"epsilon must be positive, not {Number(Epsilon)}");
    }

    public override string? RequiredRank(int rank) => rank is >= 1 and <= 3 ? null : "features, channels×length or channels×height×width";

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(input);

    public override long Parameters(Shape input) => 2 * input[0];

    /// <summary>running_mean, running_var and num_batches_tracked.</summary>
    public override long Buffers(Shape input) => 2 * input[0] + 1;

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field)
    {
        var type = input.Rank == 3 ? "BatchNorm2d" : "BatchNorm1d";
        var arguments = $"num_features: {input[0]}";
        if (Epsilon != BatchNormalizationAttribute.DefaultEpsilon) arguments += $", eps: {Number(Epsilon)}";
        if (Momentum != BatchNormalizationAttribute.DefaultMomentum) arguments += $", momentum: {Number(Momentum)}";
        return [new ModuleCode(field, $"global::TorchSharp.Modules.{type}", $"global::TorchSharp.torch.nn.{type}({arguments})")];
    }

    /// <summary>ONNX's BatchNormalization in inference: the running statistics normalise.</summary>
    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [OnnxCode.Node("BatchNormalization",
            [OnnxCode.Input, OnnxCode.Weight(field, "weight"), OnnxCode.Weight(field, "bias"),
             OnnxCode.Weight(field, "running_mean"), OnnxCode.Weight(field, "running_var")],
            OnnxCode.Float("epsilon", Epsilon))];
}
