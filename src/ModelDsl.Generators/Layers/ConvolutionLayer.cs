using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

/// <summary>What Conv2D and Conv2DTranspose share: arguments, their validation, rank and parameter count.</summary>
internal abstract record ConvolutionLayer(int Filters, int Kernel, int Stride, int Padding, PaddingMode Mode, int Dilation) : WeightedLayer
{
    /// <summary>Input positions one kernel application spans.</summary>
    protected int Window => Dilation * (Kernel - 1) + 1;

    /// <summary>Arguments written between padding and dilation (e.g. outputPadding).</summary>
    protected virtual IEnumerable<string> ExtraArguments() => [];

    protected override IReadOnlyList<string> ArgumentsBeforeInit()
    {
        var arguments = new List<string> { Number(Filters), Number(Kernel) };
        if (Stride != 1) arguments.Add($"stride: {Number(Stride)}");
        if (Mode != PaddingMode.Explicit) arguments.Add($"padding: Padding.{Mode}");
        else if (Padding != 0) arguments.Add($"padding: {Number(Padding)}");
        arguments.AddRange(ExtraArguments());
        if (Dilation != 1) arguments.Add($"dilation: {Number(Dilation)}");
        return arguments;
    }

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        foreach (var problem in base.Problems()) yield return problem;
        if (Filters < 1) yield return ("filters", $"filters must be at least 1, not {Filters}");
        if (Kernel < 1) yield return ("kernel", $"kernel must be at least 1, not {Kernel}");
        if (Stride < 1) yield return ("stride", $"stride must be at least 1, not {Stride}");
        if (Padding < 0) yield return ("padding", $"padding must not be negative, not {Padding}");
        if (Mode == PaddingMode.Undefined) yield return ("padding", "padding must be Padding.Same, Padding.Valid or a number, not an undefined Padding value");
        if (Dilation < 1) yield return ("dilation", $"dilation must be at least 1, not {Dilation}");
    }

    public override string? RequiredRank(int rank) => RequireSpatial(rank);

    public override long Parameters(Shape input) => input[0] * Filters * Kernel * Kernel + BiasParameters(Filters);

    /// <summary>
    /// Channels times the receptive field, as Keras and PyTorch count them. Both take fan_in from the kernel axis
    /// they call input, which for a transposed kernel (PyTorch in×out×k×k, Keras k×k×out×in) holds the output channels:
    /// the sum is the same.
    /// </summary>
    protected override (long In, long Out) Fans(Shape input) => (input[0] * Kernel * Kernel, (long)Filters * Kernel * Kernel);

    /// <summary>
    /// Whether the forward pass runs as ModelDsl.Layers.FoldedConvolution: one output channel, which oneDNN pads to its
    /// vector width, and a kernel large enough for the saving to outweigh the extra memory traffic (measured: 7×7 2.4×
    /// and 5×5 1.8× faster, 3×3 slower, 4×4 level; bench/README.md).
    /// </summary>
    protected bool RunsFolded => Filters == 1 && Dilation == 1 && Kernel >= 5;

    /// <summary>The forward expression of the convolution module <paramref name="field"/>: its input in oneDNN's channels-last layout.</summary>
    protected static string ChannelsLastForward(string field) =>
        $"{field}.forward(global::ModelDsl.Layers.MemoryLayout.ChannelsLast({ModuleCode.InputPlaceholder}))";

    /// <summary>The inputs of ONNX's Conv or ConvTranspose: the value, the weight (same layout as PyTorch's) and the bias when there is one.</summary>
    protected IReadOnlyList<string> OnnxInputs(string field) =>
        HasBias ? [OnnxCode.Input, OnnxCode.Weight(field, "weight"), OnnxCode.Weight(field, "bias")] : [OnnxCode.Input, OnnxCode.Weight(field, "weight")];

    /// <summary>TorchSharp's constructor argument for a convolution without a bias (empty with one, the default).</summary>
    protected string BiasArgument => HasBias ? "" : ", bias: false";

    /// <summary>TorchSharp constructor arguments common to both, defaults left out.</summary>
    protected string TorchArguments(Shape input, long stride, long padding)
    {
        var arguments = $"in_channels: {input[0]}, out_channels: {Filters}, kernel_size: {Kernel}";
        if (stride != 1) arguments += $", stride: {stride}";
        if (padding != 0) arguments += $", padding: {padding}";
        return arguments;
    }
}

/// <summary>How a convolution's padding was written: one of TorchSharp.Padding's members (same names and values), or a number.</summary>
internal enum PaddingMode
{
    Valid = (int)TorchSharp.Padding.Valid,
    Same = (int)TorchSharp.Padding.Same,
    /// <summary>An integer padding was written.</summary>
    Explicit = -1,
    /// <summary>A Padding value outside the enum, e.g. (Padding)7: reported as invalid.</summary>
    Undefined = -2,
}
