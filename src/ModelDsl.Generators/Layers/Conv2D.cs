using System.Collections.Generic;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;

namespace ModelDsl.Generators.Layers;

internal sealed class Conv2DRule : LayerRule
{
    public override string AttributeName => "Conv2DAttribute";

    public override Layer Parse(LayerArguments arguments)
    {
        var (padding, mode) = arguments.Padding();
        return new Conv2DLayer(arguments.Int("filters"), arguments.Int("kernel"), arguments.Int("stride", 1), padding, mode, arguments.Int("dilation", 1));
    }
}

/// <summary>PyTorch's Conv2d; Keras "same" padding becomes a symmetric padding or an explicit ZeroPad2d.</summary>
internal sealed record Conv2DLayer(int Filters, int Kernel, int Stride, int Padding, PaddingMode Mode, int Dilation) : Layer
{
    public override string Kind => "Conv2D";

    public override string KerasName => "conv2d";

    protected override IReadOnlyList<string> Arguments()
    {
        var arguments = new List<string> { Number(Filters), Number(Kernel) };
        if (Stride != 1) arguments.Add($"stride: {Number(Stride)}");
        if (Mode != PaddingMode.Explicit) arguments.Add($"padding: Padding.{Mode}");
        else if (Padding != 0) arguments.Add($"padding: {Number(Padding)}");
        if (Dilation != 1) arguments.Add($"dilation: {Number(Dilation)}");
        return arguments;
    }

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (Filters < 1) yield return ("filters", $"filters must be at least 1, not {Filters}");
        if (Kernel < 1) yield return ("kernel", $"kernel must be at least 1, not {Kernel}");
        if (Stride < 1) yield return ("stride", $"stride must be at least 1, not {Stride}");
        if (Padding < 0) yield return ("padding", $"padding must not be negative, not {Padding}");
        if (Mode is not (PaddingMode.Valid or PaddingMode.Same or PaddingMode.Explicit)) yield return ("padding", $"padding must be Padding.Same, Padding.Valid or a number, not Padding value {(int)Mode}");
        if (Dilation < 1) yield return ("dilation", $"dilation must be at least 1, not {Dilation}");
    }

    public override string? RequiredRank(int rank) => RequireSpatial(rank);

    private int Window => Dilation * (Kernel - 1) + 1;

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

    public override long Parameters(Shape input) => input[0] * Filters * Kernel * Kernel + Filters;

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
        var arguments = $"in_channels: {input[0]}, out_channels: {Filters}, kernel_size: {Kernel}";
        if (Stride != 1) arguments += $", stride: {Stride}";
        if (symmetric && top != 0) arguments += $", padding: {top}";
        if (Dilation != 1) arguments += $", dilation: {Dilation}";
        modules.Add(new ModuleCode(field, "global::TorchSharp.Modules.Conv2d", $"global::TorchSharp.torch.nn.Conv2d({arguments})"));
        return modules;
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

/// <summary>How a convolution's padding was written.</summary>
internal enum PaddingMode
{
    // Valid and Same match ModelDsl.Padding, so an attribute's enum argument converts directly and
    // any other value of it stays undefined here (and is reported).
    Valid = 0,
    Same = 1,
    Explicit = -1,
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
