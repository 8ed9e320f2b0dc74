using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class AveragePooling2DRule : LayerRule
{
    public override string AttributeName => nameof(AveragePooling2DAttribute);

    public override Layer Parse(LayerArguments arguments) => new AveragePooling2DLayer(
        arguments.Int("pool"), arguments.Int("stride"), arguments.Int("padding"));
}

/// <summary>PyTorch's AvgPool2d (padding zeros count in the average, as PyTorch's default).</summary>
internal sealed record AveragePooling2DLayer(int Pool, int Stride, int Padding) : Pooling2DLayer(Pool, Stride, Padding, 1)
{
    public override string Kind => "AveragePooling2D";

    public override string KerasName => "average_pooling2d";

    protected override IReadOnlyList<string> Arguments() => PoolArguments();

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, "global::TorchSharp.Modules.AvgPool2d", $"global::TorchSharp.torch.nn.AvgPool2d({TorchArguments()})")];

    // Padding zeros count in the average, as in PyTorch.
    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) => OnnxPool("AveragePool", OnnxCode.Int("count_include_pad", 1));
}
