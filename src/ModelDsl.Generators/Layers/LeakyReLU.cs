using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class LeakyReLURule : LayerRule
{
    public override string AttributeName => nameof(LeakyReLUAttribute);

    public override Layer Parse(LayerArguments arguments) => new LeakyReLULayer(arguments.Double("slope"));
}

/// <summary>PyTorch's LeakyReLU: x for x ≥ 0, slope·x otherwise.</summary>
internal sealed record LeakyReLULayer(double Slope) : Layer
{
    public override string Kind => "LeakyReLU";

    public override string KerasName => "leaky_re_lu";

    protected override IReadOnlyList<string> Arguments() => [Number(Slope)];

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (!(Slope >= 0) || double.IsInfinity(Slope)) yield return ("slope", $"slope must be a finite non-negative number, not {Number(Slope)}");
    }

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(input);

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, "global::TorchSharp.Modules.LeakyReLU", $"global::TorchSharp.torch.nn.LeakyReLU(negative_slope: {Number(Slope)})")];

    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [OnnxCode.Node("LeakyRelu", [OnnxCode.Input], OnnxCode.Float("alpha", Slope))];
}
