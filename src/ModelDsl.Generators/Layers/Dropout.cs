using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class DropoutRule : LayerRule
{
    public override string AttributeName => nameof(DropoutAttribute);

    public override Layer Parse(LayerArguments arguments) => new DropoutLayer(arguments.Double("rate"));
}

/// <summary>PyTorch's Dropout; active only in training mode.</summary>
internal sealed record DropoutLayer(double Rate) : Layer
{
    public override string Kind => "Dropout";

    public override string KerasName => "dropout";

    protected override IReadOnlyList<string> Arguments() => [Number(Rate)];

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (!(Rate >= 0 && Rate < 1)) yield return ("rate", $"rate is the probability of dropping a value and must be in [0, 1), not {Number(Rate)}");
    }

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(input);

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, "global::TorchSharp.Modules.Dropout", $"global::TorchSharp.torch.nn.Dropout(p: {Number(Rate)})")];

    // The identity in inference.
    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) => [];
}
