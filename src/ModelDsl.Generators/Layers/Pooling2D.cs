using System.Collections.Generic;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

/// <summary>
/// The shape rule shared by max and average pooling (PyTorch, ceil_mode off):
/// out = (in + 2·padding − dilation·(pool − 1) − 1) / stride + 1; stride 0 means the pool size.
/// </summary>
internal abstract record Pooling2DLayer(int Pool, int Stride, int Padding, int Dilation) : Layer
{
    protected int EffectiveStride => Stride == 0 ? Pool : Stride;

    private int Window => Dilation * (Pool - 1) + 1;

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (Pool < 1) yield return ("pool", $"pool must be at least 1, not {Pool}");
        if (Stride < 0) yield return ("stride", $"stride must be at least 1 (or 0 for the pool size), not {Stride}");
        if (Padding < 0) yield return ("padding", $"padding must not be negative, not {Padding}");
        else if (Pool >= 1 && Padding > Pool / 2) yield return ("padding", $"padding must be at most half the pool size (PyTorch's rule), so at most {Pool / 2}, not {Padding}");
        if (Dilation < 1) yield return ("dilation", $"dilation must be at least 1, not {Dilation}");
    }

    public override string? RequiredRank(int rank) => RequireSpatial(rank);

    public override ShapeResult Apply(Shape input)
    {
        var output = input;
        for (var axis = 1; axis <= 2; axis++)
        {
            var padded = input[axis] + 2L * Padding;
            if (padded < Window)
                return ShapeResult.Fail(DiagnosticDescriptors.KernelLargerThanInput, Display, Window, input, padded, (padded - 1) / Dilation + 1);
            output = output.With(axis, (padded - Window) / EffectiveStride + 1);
        }
        return ShapeResult.Ok(output);
    }

    protected List<string> PoolArguments()
    {
        var arguments = new List<string> { Number(Pool) };
        if (Stride != 0 && Stride != Pool) arguments.Add($"stride: {Number(Stride)}");
        if (Padding != 0) arguments.Add($"padding: {Number(Padding)}");
        if (Dilation != 1) arguments.Add($"dilation: {Number(Dilation)}");
        return arguments;
    }

    /// <summary>TorchSharp arguments after the kernel size, defaults left out.</summary>
    protected string TorchArguments()
    {
        var arguments = $"kernel_size: {Pool}";
        if (EffectiveStride != Pool) arguments += $", stride: {EffectiveStride}";
        if (Padding != 0) arguments += $", padding: {Padding}";
        if (Dilation != 1) arguments += $", dilation: {Dilation}";
        return arguments;
    }

    /// <summary>ONNX's <paramref name="operatorType"/> with this pooling's window, stride and padding, plus <paramref name="attributes"/>.</summary>
    protected IReadOnlyList<string> OnnxPool(string operatorType, params string[] attributes) =>
        [OnnxCode.Node(operatorType, [OnnxCode.Input],
            [OnnxCode.Ints("kernel_shape", Pool, Pool), OnnxCode.Ints("strides", EffectiveStride, EffectiveStride), OnnxCode.Ints("pads", Padding, Padding, Padding, Padding), .. attributes])];

    public override IEnumerable<LayerVariant> Variants(Shape target)
    {
        for (var pool = Pool - 2; pool <= Pool + 2; pool++)
            if (pool >= 1 && pool != Pool) yield return new($"pool {pool}", this with { Pool = pool, Padding = System.Math.Min(Padding, pool / 2) });
        for (var stride = 1; stride <= EffectiveStride + 1; stride++)
            if (stride != EffectiveStride) yield return new($"stride: {stride}", this with { Stride = stride });
        for (var padding = 0; padding <= Pool / 2; padding++)
            if (padding != Padding) yield return new($"padding: {padding}", this with { Padding = padding });
    }
}
