using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class UpSampling2DRule : LayerRule
{
    public override string AttributeName => nameof(UpSampling2DAttribute);

    public override Layer Parse(LayerArguments arguments) => new UpSampling2DLayer(arguments.Int("factor"));
}

/// <summary>PyTorch's Upsample, nearest neighbour: H and W times the factor.</summary>
internal sealed record UpSampling2DLayer(int Factor) : Layer
{
    public override string Kind => "UpSampling2D";

    public override string KerasName => "up_sampling2d";

    protected override IReadOnlyList<string> Arguments() => [Number(Factor)];

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (Factor < 1) yield return ("factor", $"factor must be at least 1, not {Factor}");
    }

    public override string? RequiredRank(int rank) => RequireSpatial(rank);

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(input.With(1, input[1] * Factor).With(2, input[2] * Factor));

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, "global::TorchSharp.Modules.Upsample", $"global::TorchSharp.torch.nn.Upsample(scale_factor: [{Factor}.0, {Factor}.0])")];

    /// <summary>Resize, nearest neighbour, reading source pixel ⌊i / factor⌋ as PyTorch's Upsample does.</summary>
    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [OnnxCode.Node("Resize", [OnnxCode.Input, "\"\"", OnnxCode.Weight(field, "scales", $"global::TorchSharp.torch.tensor(new float[] {{ 1, 1, {Factor}, {Factor} }})")],
            OnnxCode.String("mode", "nearest"), OnnxCode.String("coordinate_transformation_mode", "asymmetric"), OnnxCode.String("nearest_mode", "floor"))];

    public override IEnumerable<LayerVariant> Variants(Shape target)
    {
        for (var factor = 1; factor <= Factor + 2; factor++)
            if (factor != Factor) yield return new($"factor {factor}", new UpSampling2DLayer(factor));
    }
}
