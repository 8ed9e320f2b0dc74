using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class Conv2DTransposeRule : LayerRule
{
    public override string AttributeName => nameof(Conv2DTransposeAttribute);

    public override Layer Parse(LayerArguments arguments)
    {
        var (padding, mode) = arguments.Padding();
        return new Conv2DTransposeLayer(arguments.Int("filters"), arguments.Int("kernel"), arguments.Int("stride"),
            padding, arguments.Int("outputPadding"), mode, arguments.Int("dilation")) { Init = arguments.Init(), UseBias = arguments.Bool("useBias") };
    }
}

/// <summary>
/// PyTorch's ConvTranspose2d. Keras "same" (output = input · stride) is solved into PyTorch's
/// padding and output_padding: 2·padding − outputPadding = dilation·(kernel − 1) + 1 − stride.
/// </summary>
internal sealed record Conv2DTransposeLayer(int Filters, int Kernel, int Stride, int Padding, int OutputPadding, PaddingMode Mode, int Dilation)
    : ConvolutionLayer(Filters, Kernel, Stride, Padding, Mode, Dilation)
{
    public override string Kind => "Conv2DTranspose";

    public override string KerasName => "conv2d_transpose";

    protected override IEnumerable<string> ExtraArguments() => OutputPadding != 0 ? [$"outputPadding: {Number(OutputPadding)}"] : [];

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        foreach (var problem in base.Problems()) yield return problem;
        if (OutputPadding < 0) yield return ("outputPadding", $"outputPadding must not be negative, not {OutputPadding}");
        else if (OutputPadding >= Math.Max(Stride, Dilation) && Stride >= 1 && Dilation >= 1)
            yield return ("outputPadding", $"outputPadding must be smaller than stride or dilation (PyTorch's rule), so at most {Math.Max(Stride, Dilation) - 1}, not {OutputPadding}");
    }

    /// <summary>
    /// PyTorch's padding and output_padding for this layer, and how many rows/columns to crop at the
    /// bottom/right afterwards. Keras' transposed convolutions are the full one (size (in − 1)·stride +
    /// window) cropped: "valid" crops nothing and pads to at least in·stride; "same" crops
    /// ⌊excess / 2⌋ at the top/left and the rest at the bottom/right, excess = window − stride.
    /// PyTorch's padding crops both sides alike, so an odd excess needs one more crop at the end.
    /// </summary>
    public (int Padding, int OutputPadding, int Crop) TorchPadding()
    {
        if (Mode == PaddingMode.Explicit) return (Padding, OutputPadding, 0);
        var excess = Window - Stride;
        if (excess <= 0) return (0, -excess, 0);
        if (Mode == PaddingMode.Valid) return (0, 0, 0);
        return (excess / 2, 0, excess % 2);
    }

    /// <summary>PyTorch's output size along an axis, before the crop.</summary>
    private long UncroppedSize(long size, int padding, int outputPadding) => (size - 1) * Stride - 2 * padding + Window + outputPadding;

    public override ShapeResult Apply(Shape input)
    {
        var (padding, outputPadding, crop) = TorchPadding();
        var output = Shape.Of(Filters, 0, 0);
        for (var axis = 1; axis <= 2; axis++)
            output = output.With(axis, UncroppedSize(input[axis], padding, outputPadding) - crop);
        return ShapeResult.Ok(output);
    }

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field)
    {
        var (padding, outputPadding, crop) = TorchPadding();
        var arguments = TorchArguments(input, Stride, padding);
        if (outputPadding != 0) arguments += $", output_padding: {outputPadding}";
        if (Dilation != 1) arguments += $", dilation: {Dilation}";
        arguments += BiasArgument;
        var convolution = Initialized(new ModuleCode(field, "global::TorchSharp.Modules.ConvTranspose2d", $"global::TorchSharp.torch.nn.ConvTranspose2d({arguments})"), input);
        convolution = convolution with { Forward = RunsFolded ? FoldedForward(input, field, padding, outputPadding) : ChannelsLastForward(field) };
        return crop == 0
            ? [convolution]
            : [convolution, new ModuleCode(field + "_crop", "global::TorchSharp.Modules.ZeroPad2d",
                $"global::TorchSharp.torch.nn.ZeroPad2d((0, -{crop}, 0, -{crop}))", "Keras \"same\": the extra row/column is cropped at the bottom/right")];
    }

    /// <summary>
    /// ConvTranspose, whose pads crop the full output ((in − 1)·stride + window) and may differ between the sides: PyTorch's
    /// padding crops the start, padding − outputPadding (plus Keras' extra crop) the end. Where outputPadding exceeds the
    /// padding, the output grows past the full one by rows that only the bias reaches: zeros padded, then the bias added
    /// (ONNX Runtime refuses an output_padding not below the stride, which PyTorch allows below the dilation).
    /// </summary>
    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field)
    {
        var (padding, outputPadding, crop) = TorchPadding();
        var end = padding + crop - outputPadding;
        string Transposed(bool withBias) => OnnxCode.Node("ConvTranspose", withBias ? OnnxInputs(field) : OnnxInputs(field).Take(2),
            OnnxCode.Ints("kernel_shape", Kernel, Kernel), OnnxCode.Ints("strides", Stride, Stride),
            OnnxCode.Ints("pads", padding, padding, Math.Max(end, 0), Math.Max(end, 0)), OnnxCode.Ints("dilations", Dilation, Dilation));
        if (end >= 0) return [Transposed(withBias: true)];
        var grown = OnnxCode.ZeroPad(OnnxCode.Input, field, 0, 0, 0, 0, 0, 0, -end, -end);
        return HasBias
            ? [Transposed(withBias: false), grown, OnnxCode.Node("Add", [OnnxCode.Input, OnnxCode.Weight(field, "bias_per_channel", field + ".bias!.reshape(-1, 1, 1)")])]
            : [Transposed(withBias: false), grown];
    }

    private string FoldedForward(Shape input, string field, int padding, int outputPadding) =>
        $"global::ModelDsl.Layers.FoldedConvolution.ConvTranspose2d({ModuleCode.InputPlaceholder}, {field}.weight, {field}.bias, stride: {Stride}, " +
        $"padding: {padding}, outputHeight: {UncroppedSize(input[1], padding, outputPadding)}, outputWidth: {UncroppedSize(input[2], padding, outputPadding)})";

    public override IEnumerable<LayerVariant> Variants(Shape target)
    {
        if (target.Rank == 3 && target[0] != Filters) yield return new($"filters {target[0]}", this with { Filters = (int)target[0] });
        if (Mode != PaddingMode.Same)
        {
            for (var kernel = Kernel - 3; kernel <= Kernel + 3; kernel++)
                if (kernel >= 1 && kernel != Kernel) yield return new($"kernel {kernel}", this with { Kernel = kernel });
            for (var outputPadding = 0; outputPadding < Math.Max(Stride, Dilation); outputPadding++)
                if (outputPadding != OutputPadding) yield return new($"outputPadding: {outputPadding}", this with { OutputPadding = outputPadding, Mode = PaddingMode.Explicit });
            for (var padding = Padding - 2; padding <= Padding + 2; padding++)
                if (padding >= 0 && padding != Padding) yield return new($"padding: {padding}", this with { Padding = padding, Mode = PaddingMode.Explicit });
            yield return new("padding: Padding.Same", this with { Padding = 0, OutputPadding = 0, Mode = PaddingMode.Same });
        }
        for (var stride = 1; stride <= Stride + 1; stride++)
            if (stride != Stride) yield return new($"stride: {stride}", this with { Stride = stride, OutputPadding = Math.Min(OutputPadding, Math.Max(stride, Dilation) - 1) });
    }
}
