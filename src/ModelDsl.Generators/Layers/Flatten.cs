using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class FlattenRule : LayerRule
{
    public override string AttributeName => nameof(FlattenAttribute);

    public override Layer Parse(LayerArguments arguments) => new FlattenLayer();
}

/// <summary>PyTorch's Flatten from the first per-sample axis on: C×H×W → C·H·W.</summary>
internal sealed record FlattenLayer : Layer
{
    public override string Kind => "Flatten";

    public override string KerasName => "flatten";

    public override bool AcceptsIntegers => true;

    public override string? RequiredRank(int rank) => RequireAxes(rank);

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(new Shape(new[] { input.ElementCount ?? 0 }.ToEquatableArray(), input.IsInteger));

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, "global::TorchSharp.Modules.Flatten", "global::TorchSharp.torch.nn.Flatten()")];

    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [OnnxCode.Node("Flatten", [OnnxCode.Input], OnnxCode.Int("axis", 1))];
}
