using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class ZeroPadding2DRule : LayerRule
{
    public override string AttributeName => nameof(ZeroPadding2DAttribute);

    public override Layer Parse(LayerArguments arguments) => new ZeroPadding2DLayer(arguments.Int("pad"));
}

/// <summary>PyTorch's ZeroPad2d with the same padding on every side.</summary>
internal sealed record ZeroPadding2DLayer(int Pad) : Layer
{
    public override string Kind => "ZeroPadding2D";

    public override string KerasName => "zero_padding2d";

    protected override IReadOnlyList<string> Arguments() => [Number(Pad)];

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (Pad < 0) yield return ("pad", $"pad must not be negative, not {Pad}");
    }

    public override string? RequiredRank(int rank) => RequireSpatial(rank);

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(input.With(1, input[1] + 2L * Pad).With(2, input[2] + 2L * Pad));

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, "global::TorchSharp.Modules.ZeroPad2d", $"global::TorchSharp.torch.nn.ZeroPad2d({Pad})")];

    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [OnnxCode.ZeroPad(OnnxCode.Input, field, 0, 0, Pad, Pad, 0, 0, Pad, Pad)];

    public override IEnumerable<LayerVariant> Variants(Shape target)
    {
        for (var pad = Pad - 2; pad <= Pad + 2; pad++)
            if (pad >= 0 && pad != Pad) yield return new($"pad {pad}", new ZeroPadding2DLayer(pad));
    }
}
