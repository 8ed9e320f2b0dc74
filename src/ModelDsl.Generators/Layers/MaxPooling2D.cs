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

    /// <summary>
    /// MaxPool. With a dilation, a window can lie wholly in the padding, where PyTorch gives −∞ and ONNX Runtime the
    /// lowest float: the padding is then an explicit Pad of −∞ (found by the fuzzer's ONNX arm).
    /// </summary>
    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        Padding > 0 && Dilation > 1
            ? [OnnxCode.ConstantPad(OnnxCode.Input, field, "float.NegativeInfinity", 0, 0, Padding, Padding, 0, 0, Padding, Padding),
               .. Unpadded.OnnxPool("MaxPool", OnnxCode.Ints("dilations", Dilation, Dilation))]
            : OnnxPool("MaxPool", OnnxCode.Ints("dilations", Dilation, Dilation));

    private MaxPooling2DLayer Unpadded => this with { Padding = 0 };
}
