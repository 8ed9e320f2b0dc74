using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class MaxPooling2DRule : LayerRule
{
    public override string AttributeName => nameof(MaxPooling2DAttribute);

    public override Layer Parse(LayerArguments arguments) => new MaxPooling2DLayer(
        arguments.Int("pool"), arguments.Int("stride"), arguments.Int("padding"), arguments.Int("dilation"));
}

/// <summary>PyTorch's MaxPool2d.</summary>
internal sealed record MaxPooling2DLayer(int Pool, int Stride, int Padding, int Dilation) : Pooling2DLayer(Pool, Stride, Padding, Dilation)
{
    public override string Kind => "MaxPooling2D";

    public override string KerasName => "max_pooling2d";

    protected override IReadOnlyList<string> Arguments() => PoolArguments();

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, "global::TorchSharp.Modules.MaxPool2d", $"global::TorchSharp.torch.nn.MaxPool2d({TorchArguments()})")];

    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) => OnnxPool("MaxPool", OnnxCode.Ints("dilations", Dilation, Dilation));
}
