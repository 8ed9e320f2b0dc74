using System.Collections.Generic;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class Conv2DRule : LayerRule
{
    public override string AttributeName => nameof(Conv2DAttribute);

    public override Layer Parse(LayerArguments arguments)
    {
        var (padding, mode) = arguments.Padding();
        return new Conv2DLayer(arguments.Int("filters"), arguments.Int("kernel"), arguments.Int("stride"), padding, mode, arguments.Int("dilation")) { Init = arguments.Init(), UseBias = arguments.Bool("useBias") };
    }
}

/// <summary>PyTorch's Conv2d; Keras "same" padding becomes a symmetric padding or an explicit ZeroPad2d.</summary>
internal sealed record Conv2DLayer(int Filters, int Kernel, int Stride, int Padding, PaddingMode Mode, int Dilation)
    : ConvolutionLayer(Filters, Kernel, Stride, Padding, Mode, Dilation)
{
    public override string Kind => "Conv2D";

    public override string KerasName => "conv2d";

    private (long Before, long After) PaddingFor(long size) => Mode switch
    {
        PaddingMode.Same => KerasSame.Padding(size, Window, Stride),
        PaddingMode.Valid => (0, 0),
        _ => (Padding, Padding),
    };

    public override ShapeResult Apply(Shape input)
    {
        var output = Shape.Of(Filters, 0, 0);
        for (var axis = 1; axis <= 2; axis++)
        {
            var (before, after) = PaddingFor(input[axis]);
            var padded = input[axis] + before + after;
            if (padded < Window)
                return ShapeResult.Fail(DiagnosticDescriptors.KernelLargerThanInput, Display, Window, input, padded, (padded - 1) / Dilation + 1);
            output = output.With(axis, (padded - Window) / Stride + 1);
        }
        return ShapeResult.Ok(output);
    }

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field)
    {
        var (top, bottom) = PaddingFor(input[1]);
        var (left, right) = PaddingFor(input[2]);
        var symmetric = top == bottom && left == right && top == left;
        var modules = new List<ModuleCode>();
        if (!symmetric)
            modules.Add(new ModuleCode(field + "_pad", "global::TorchSharp.Modules.ZeroPad2d",
                $"global::TorchSharp.torch.nn.ZeroPad2d(({left}, {right}, {top}, {bottom}))",
                "Keras \"same\": the extra zero row/column goes at the bottom/right"));
        var padding = symmetric ? top : 0;
        var arguments = TorchArguments(input, Stride, padding);
        // A 1×1 kernel spans one position whatever its dilation; libtorch 2.10 crashes the process on a dilated one with
        // padding and a channels-last input (found by the fuzzer's ONNX arm, which runs the generated modules).
        if (Dilation != 1 && Kernel > 1) arguments += $", dilation: {Dilation}";
        arguments += BiasArgument;
        var convolution = Initialized(new ModuleCode(field, "global::TorchSharp.Modules.Conv2d", $"global::TorchSharp.torch.nn.Conv2d({arguments})"), input);
        modules.Add(convolution with
        {
            Forward = RunsFolded && Stride == 1 && padding < Kernel
                ? $"global::ModelDsl.Layers.FoldedConvolution.Conv2d({ModuleCode.InputPlaceholder}, {field}.weight, {field}.bias, padding: {padding})"
                : ChannelsLastForward(field),
        });
        return modules;
    }

    /// <summary>Conv with explicit pads: ONNX's may differ between the sides, so Keras "same" needs no Pad node.</summary>
    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field)
    {
        var (top, bottom) = PaddingFor(input[1]);
        var (left, right) = PaddingFor(input[2]);
        return [OnnxCode.Node("Conv", OnnxInputs(field), OnnxCode.Ints("kernel_shape", Kernel, Kernel), OnnxCode.Ints("strides", Stride, Stride),
            OnnxCode.Ints("pads", top, left, bottom, right), OnnxCode.Ints("dilations", Dilation, Dilation))];
    }

    public override IEnumerable<LayerVariant> Variants(Shape target)
    {
        if (target.Rank == 3 && target[0] != Filters) yield return new($"filters {target[0]}", this with { Filters = (int)target[0] });
        if (Mode != PaddingMode.Same)
        {
            for (var kernel = Kernel - 3; kernel <= Kernel + 3; kernel++)
                if (kernel >= 1 && kernel != Kernel) yield return new($"kernel {kernel}", this with { Kernel = kernel });
            for (var padding = Padding - 2; padding <= Padding + 2; padding++)
                if (padding >= 0 && (padding != Padding || Mode != PaddingMode.Explicit))
                    yield return new($"padding: {padding}", this with { Padding = padding, Mode = PaddingMode.Explicit });
            yield return new("padding: Padding.Same", this with { Padding = 0, Mode = PaddingMode.Same });
        }
        for (var stride = 1; stride <= Stride + 1; stride++)
            if (stride != Stride) yield return new($"stride: {stride}", this with { Stride = stride });
    }
}

/// <summary>Keras/TensorFlow "same" padding.</summary>
internal static class KerasSame
{
    /// <summary>
    /// Padding before/after an axis so that output = ceil(size / stride); an odd total puts the
    /// extra row/column after (bottom/right), as TensorFlow does.
    /// </summary>
    public static (long Before, long After) Padding(long size, long window, long stride)
    {
        var output = (size + stride - 1) / stride;
        var total = System.Math.Max((output - 1) * stride + window - size, 0);
        return (total / 2, total - total / 2);
    }
}
