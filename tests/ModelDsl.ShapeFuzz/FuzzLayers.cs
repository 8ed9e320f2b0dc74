using System.Globalization;
using static TorchSharp.torch;

namespace ModelDsl.ShapeFuzz;

/// <summary>
/// One layer attribute as the fuzzer writes it, together with its plain-TorchSharp equivalent. The
/// equivalent is written from PyTorch's and Keras' definitions, never from the generator's code, and
/// sizes its modules from the tensor it receives, as PyTorch's lazy modules do.
/// </summary>
public abstract record FuzzLayer
{
    /// <summary>The attribute name without the suffix, e.g. <c>Conv2D</c>.</summary>
    public virtual string Kind => GetType().Name;

    /// <summary>The attribute as written in source, e.g. <c>Conv2D(4, 3, stride: 2)</c>.</summary>
    public string Source
    {
        get
        {
            var arguments = Arguments().ToList();
            return arguments.Count == 0 ? Kind : $"{Kind}({string.Join(", ", arguments)})";
        }
    }

    /// <summary>Whether optional arguments are written positionally (defaults in between included) rather than by name.</summary>
    public bool Positional { get; init; }

    /// <summary>A constructor parameter: its name, its value as written, and whether it holds its default.</summary>
    /// <param name="Required">Always written, and positionally.</param>
    protected readonly record struct Parameter(string Name, string Value, bool IsDefault = false, bool Required = false);

    /// <summary>The parameters of the constructor the arguments select, in declaration order.</summary>
    protected virtual IEnumerable<Parameter> Parameters() => [];

    protected virtual IEnumerable<string> Arguments()
    {
        var parameters = Parameters().ToList();
        if (Positional)
            return parameters.Take(parameters.FindLastIndex(p => p.Required || !p.IsDefault) + 1).Select(p => p.Value);
        return parameters.Where(p => p.Required).Select(p => p.Value)
            .Concat(parameters.Where(p => !p.Required && !p.IsDefault).Select(p => $"{p.Name}: {p.Value}"));
    }

    protected static Parameter Required(long value) => new("", Number(value), Required: true);

    protected static Parameter Required(double value) => new("", Number(value), Required: true);

    protected static Parameter Optional(string name, long value, long fallback) => new(name, Number(value), value == fallback);

    protected static Parameter Optional(string name, double value, double fallback) => new(name, Number(value), value.Equals(fallback));

    protected static Parameter Optional(string name, bool value, bool fallback) => new(name, value ? "true" : "false", value == fallback);

    /// <summary><c>init:</c> changes no shape and is not drawn; written positionally as its default when a later argument is.</summary>
    protected static Parameter DefaultInit => new("init", "Init.Default", IsDefault: true);

    /// <summary>Runs the equivalent TorchSharp module(s) on a batch; throws where PyTorch would.</summary>
    public abstract Tensor Forward(Tensor x);

    /// <summary>Simpler variants of this layer, for shrinking a reproducer.</summary>
    public virtual IEnumerable<FuzzLayer> Simplifications() => [];

    protected static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    protected static string Number(double value) => value switch
    {
        double.NaN => "double.NaN",
        double.PositiveInfinity => "double.PositiveInfinity",
        double.NegativeInfinity => "double.NegativeInfinity",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Values of smaller magnitude to try for an integer argument (so shrinking always ends).</summary>
    protected static IEnumerable<int> Smaller(int value, int simplest) =>
        new[] { simplest, value / 2, value - Math.Sign(value) }.Where(v => Math.Abs(v) < Math.Abs(value)).Distinct();

    /// <summary>PyTorch's lazy convolutions: channels are axis 1 of a batch, axis 0 of an unbatched C×H×W.</summary>
    protected static long Channels(Tensor x) => x.dim() == 4 ? x.shape[1] : x.shape[0];

    protected static Tensor Run(nn.Module<Tensor, Tensor> module, Tensor x)
    {
        using (module)
        {
            module.eval();
            return module.forward(x);
        }
    }
}

/// <summary>How a convolution's padding is written: a number, or a Keras mode (any value, to write undefined ones too).</summary>
public readonly record struct ConvPadding(int Size, int? Mode)
{
    public static ConvPadding Explicit(int size) => new(size, null);

    public static ConvPadding Valid => new(0, 0);

    public static ConvPadding Same => new(0, 1);

    public bool IsDefault => Mode is null && Size == 0;

    public string Source => Mode switch
    {
        null => Size.ToString(CultureInfo.InvariantCulture),
        0 => "Padding.Valid",
        1 => "Padding.Same",
        var mode => $"(Padding)({mode})",
    };
}

/// <summary>TensorFlow's padding arithmetic, from its definition (tf.nn.convolution, conv_utils.deconv_output_length).</summary>
internal static class TensorFlowPadding
{
    /// <summary>"same": ceil(size / stride) outputs; the odd extra zero goes after (bottom/right).</summary>
    public static (long Before, long After) Same(long size, long window, long stride)
    {
        if (stride < 1) throw new ArgumentException($"TensorFlow strides are positive, not {stride}");
        var outputs = (size + stride - 1) / stride;
        var total = Math.Max((outputs - 1) * stride + window - size, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>
    /// A Keras transposed convolution as the full transposed convolution (no padding) cropped or
    /// zero-extended: output length size·stride ("same") or size·stride + max(window − stride, 0)
    /// ("valid"), starting at the "before" padding of the forward convolution it transposes.
    /// </summary>
    public static (long Before, long After) TransposedCrop(long size, long window, long stride, bool same)
    {
        var full = (size - 1) * stride + window;
        var length = same ? size * stride : size * stride + Math.Max(window - stride, 0);
        var before = same ? Same(length, window, stride).Before : 0;
        return (before, full - before - length);
    }
}

public sealed record Dense(int Units, bool UseBias) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => [Required(Units), DefaultInit, Optional("useBias", UseBias, true)];

    public override Tensor Forward(Tensor x) => Run(nn.Linear(x.shape[^1], Units, hasBias: UseBias), x);

    public override IEnumerable<FuzzLayer> Simplifications()
    {
        foreach (var units in Smaller(Units, 1)) yield return this with { Units = units };
        if (!UseBias) yield return this with { UseBias = true };
    }
}

public sealed record Conv2D(int Filters, int Kernel, int Stride, ConvPadding Padding, int Dilation, bool UseBias) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => Padding.Mode is null
        ? [Required(Filters), Required(Kernel), Optional("stride", Stride, 1), Optional("padding", Padding.Size, 0), Optional("dilation", Dilation, 1),
            DefaultInit, Optional("useBias", UseBias, true)]
        : [Required(Filters), Required(Kernel), new("padding", Padding.Source), Optional("stride", Stride, 1), Optional("dilation", Dilation, 1),
            DefaultInit, Optional("useBias", UseBias, true)];

    public override Tensor Forward(Tensor x)
    {
        var padding = Padding.Mode switch
        {
            null => Padding.Size,
            0 => 0,
            1 => 0, // an explicit ZeroPad2d below
            var mode => throw new ArgumentException($"PyTorch's padding modes are 'same' and 'valid', not {mode}"),
        };
        if (Padding.Mode == 1)
        {
            var window = (long)Dilation * (Kernel - 1) + 1;
            var (top, bottom) = TensorFlowPadding.Same(x.shape[^2], window, Stride);
            var (left, right) = TensorFlowPadding.Same(x.shape[^1], window, Stride);
            x = Run(nn.ZeroPad2d((left, right, top, bottom)), x);
        }
        return Run(nn.Conv2d(Channels(x), Filters, Kernel, stride: Stride, padding: padding, dilation: Dilation, bias: UseBias), x);
    }

    public override IEnumerable<FuzzLayer> Simplifications()
    {
        foreach (var filters in Smaller(Filters, 1)) yield return this with { Filters = filters };
        foreach (var kernel in Smaller(Kernel, 1)) yield return this with { Kernel = kernel };
        foreach (var stride in Smaller(Stride, 1)) yield return this with { Stride = stride };
        if (!Padding.IsDefault) yield return this with { Padding = ConvPadding.Explicit(0) };
        foreach (var size in Smaller(Padding.Size, 0)) yield return this with { Padding = ConvPadding.Explicit(size) };
        foreach (var dilation in Smaller(Dilation, 1)) yield return this with { Dilation = dilation };
        if (!UseBias) yield return this with { UseBias = true };
    }
}

public sealed record Conv2DTranspose(int Filters, int Kernel, int Stride, ConvPadding Padding, int OutputPadding, int Dilation, bool UseBias) : FuzzLayer
{
    /// <summary>Only the integer-padding constructor has outputPadding.</summary>
    protected override IEnumerable<Parameter> Parameters() => Padding.Mode is null
        ? [Required(Filters), Required(Kernel), Optional("stride", Stride, 1), Optional("padding", Padding.Size, 0),
            Optional("outputPadding", OutputPadding, 0), Optional("dilation", Dilation, 1), DefaultInit, Optional("useBias", UseBias, true)]
        : [Required(Filters), Required(Kernel), new("padding", Padding.Source), Optional("stride", Stride, 1), Optional("dilation", Dilation, 1),
            DefaultInit, Optional("useBias", UseBias, true)];

    public override Tensor Forward(Tensor x)
    {
        if (Padding.Mode is null)
        {
            ThrowWhereLibTorchAborts(x, Padding.Size, OutputPadding);
            return Run(nn.ConvTranspose2d(Channels(x), Filters, Kernel, stride: Stride, padding: Padding.Size, output_padding: OutputPadding, dilation: Dilation, bias: UseBias), x);
        }
        if (Padding.Mode is not (0 or 1))
            throw new ArgumentException($"Keras' padding modes are 'same' and 'valid', not {Padding.Mode}");
        ThrowWhereLibTorchAborts(x, 0, 0);
        var window = (long)Dilation * (Kernel - 1) + 1;
        var full = Run(nn.ConvTranspose2d(Channels(x), Filters, Kernel, stride: Stride, dilation: Dilation, bias: UseBias), x);
        var same = Padding.Mode == 1;
        var (top, bottom) = TensorFlowPadding.TransposedCrop(x.shape[^2], window, Stride, same);
        var (left, right) = TensorFlowPadding.TransposedCrop(x.shape[^1], window, Stride, same);
        // Negative padding crops.
        return Run(nn.ZeroPad2d((-left, -right, -top, -bottom)), full);
    }

    /// <summary>
    /// libtorch 2.10 aborts the whole process (an uncaught oneDNN error) instead of throwing for a
    /// dilation below 1 or a negative output size (PyTorch's documented ConvTranspose2d formula).
    /// </summary>
    private void ThrowWhereLibTorchAborts(Tensor x, long padding, long outputPadding)
    {
        if (Dilation < 1) throw new ArgumentException($"dilation must be positive, not {Dilation} (libtorch would abort)");
        foreach (var size in new[] { x.shape[^2], x.shape[^1] })
            if ((size - 1) * Stride - 2 * padding + (long)Dilation * (Kernel - 1) + outputPadding + 1 < 0)
                throw new ArgumentException("negative output size (libtorch would abort)");
    }

    public override IEnumerable<FuzzLayer> Simplifications()
    {
        foreach (var filters in Smaller(Filters, 1)) yield return this with { Filters = filters };
        foreach (var kernel in Smaller(Kernel, 1)) yield return this with { Kernel = kernel };
        foreach (var stride in Smaller(Stride, 1)) yield return this with { Stride = stride };
        if (!Padding.IsDefault) yield return this with { Padding = ConvPadding.Explicit(0) };
        foreach (var size in Smaller(Padding.Size, 0)) yield return this with { Padding = ConvPadding.Explicit(size) };
        foreach (var outputPadding in Smaller(OutputPadding, 0)) yield return this with { OutputPadding = outputPadding };
        foreach (var dilation in Smaller(Dilation, 1)) yield return this with { Dilation = dilation };
        if (!UseBias) yield return this with { UseBias = true };
    }
}

/// <summary>Stride 0 means the pool size (Keras' default), as the attribute documents.</summary>
public sealed record MaxPooling2D(int Pool, int Stride, int Padding, int Dilation) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() =>
        [Required(Pool), Optional("stride", Stride, 0), Optional("padding", Padding, 0), Optional("dilation", Dilation, 1)];

    public override Tensor Forward(Tensor x) =>
        Run(nn.MaxPool2d(Pool, stride: Stride == 0 ? Pool : Stride, padding: Padding, dilation: Dilation), x);

    public override IEnumerable<FuzzLayer> Simplifications()
    {
        foreach (var pool in Smaller(Pool, 1)) yield return this with { Pool = pool };
        foreach (var stride in Smaller(Stride, 0)) yield return this with { Stride = stride };
        foreach (var padding in Smaller(Padding, 0)) yield return this with { Padding = padding };
        foreach (var dilation in Smaller(Dilation, 1)) yield return this with { Dilation = dilation };
    }
}

/// <summary>Stride 0 means the pool size; padding zeros count in the average (PyTorch's default).</summary>
public sealed record AveragePooling2D(int Pool, int Stride, int Padding) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => [Required(Pool), Optional("stride", Stride, 0), Optional("padding", Padding, 0)];

    public override Tensor Forward(Tensor x) => Run(nn.AvgPool2d(Pool, stride: Stride == 0 ? Pool : Stride, padding: Padding), x);

    public override IEnumerable<FuzzLayer> Simplifications()
    {
        foreach (var pool in Smaller(Pool, 1)) yield return this with { Pool = pool };
        foreach (var stride in Smaller(Stride, 0)) yield return this with { Stride = stride };
        foreach (var padding in Smaller(Padding, 0)) yield return this with { Padding = padding };
    }
}

public sealed record UpSampling2D(int Factor) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => [Required(Factor)];

    public override Tensor Forward(Tensor x) =>
        Run(nn.Upsample(scale_factor: [Factor, Factor], mode: UpsampleMode.Nearest), x);

    public override IEnumerable<FuzzLayer> Simplifications() => Smaller(Factor, 1).Select(f => new UpSampling2D(f));
}

public sealed record ZeroPadding2D(int Pad) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => [Required(Pad)];

    public override Tensor Forward(Tensor x) => Run(nn.ZeroPad2d(Pad), x);

    public override IEnumerable<FuzzLayer> Simplifications() => Smaller(Pad, 0).Select(p => new ZeroPadding2D(p));
}

public sealed record BatchNormalization(double Momentum, double Epsilon) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => [Optional("momentum", Momentum, 0.1), Optional("epsilon", Epsilon, 1e-5)];

    /// <summary>PyTorch's module for the batch's rank: BatchNorm1d (N×F, N×C×L), 2d (N×C×H×W) or 3d (N×C×D×H×W).</summary>
    public override Tensor Forward(Tensor x) => Run(x.dim() switch
    {
        2 or 3 => nn.BatchNorm1d(x.shape[1], eps: Epsilon, momentum: Momentum),
        4 => nn.BatchNorm2d(x.shape[1], eps: Epsilon, momentum: Momentum),
        5 => nn.BatchNorm3d(x.shape[1], eps: Epsilon, momentum: Momentum),
        var rank => throw new ArgumentException($"PyTorch has no batch norm for {rank}-D input"),
    }, x);

    public override IEnumerable<FuzzLayer> Simplifications()
    {
        if (Momentum != 0.1) yield return this with { Momentum = 0.1 };
        if (Epsilon != 1e-5) yield return this with { Epsilon = 1e-5 };
    }
}

public sealed record Dropout(double Rate) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => [Required(Rate)];

    public override Tensor Forward(Tensor x) => Run(nn.Dropout(Rate), x);

    public override IEnumerable<FuzzLayer> Simplifications()
    {
        if (Rate != 0.5) yield return new Dropout(0.5);
    }
}

public sealed record Flatten : FuzzLayer
{
    public override Tensor Forward(Tensor x) => Run(nn.Flatten(), x);
}

/// <summary>Keras' Reshape: every sample to <see cref="Dims"/>, the batch axis kept.</summary>
public sealed record Reshape(IReadOnlyList<int> Dims) : FuzzLayer
{
    protected override IEnumerable<string> Arguments() => Dims.Select(d => Number(d));

    public override Tensor Forward(Tensor x) => x.reshape([x.shape[0], .. Dims.Select(d => (long)d)]);

    public override IEnumerable<FuzzLayer> Simplifications() =>
        Enumerable.Range(0, Dims.Count).Select(i => new Reshape(Dims.Where((_, j) => j != i).ToArray()));

    public bool Equals(Reshape? other) => other is not null && Dims.SequenceEqual(other.Dims);

    public override int GetHashCode() => Dims.Aggregate(17, (hash, d) => hash * 31 + d);
}

public sealed record Embedding(int Count, int Dim) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => [Required(Count), Required(Dim)];

    public override Tensor Forward(Tensor x) => Run(nn.Embedding(Count, Dim), x);

    public override IEnumerable<FuzzLayer> Simplifications()
    {
        foreach (var count in Smaller(Count, 1)) yield return this with { Count = count };
        foreach (var dim in Smaller(Dim, 1)) yield return this with { Dim = dim };
    }
}

/// <summary>
/// Keras' recurrent layers as PyTorch runs them, batch first: the sequence of hidden states, or (Keras' default)
/// its last step. TorchSharp's modules take a 3-D batch only (PyTorch's would also take one unbatched sequence).
/// </summary>
public abstract record RecurrentFuzzLayer(int Units, bool ReturnSequences) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => [Required(Units), Optional("returnSequences", ReturnSequences, false)];

    /// <summary>PyTorch's module from <paramref name="features"/> to <see cref="Units"/>, and its forward's sequence output.</summary>
    protected abstract Tensor Sequence(long features, Tensor x);

    public override Tensor Forward(Tensor x)
    {
        var sequence = Sequence(x.shape[^1], x);
        return ReturnSequences ? sequence : sequence.select(1, -1);
    }

    public override IEnumerable<FuzzLayer> Simplifications()
    {
        foreach (var units in Smaller(Units, 1)) yield return this with { Units = units };
        if (ReturnSequences) yield return this with { ReturnSequences = false };
    }
}

public sealed record LSTM(int Units, bool ReturnSequences) : RecurrentFuzzLayer(Units, ReturnSequences)
{
    protected override Tensor Sequence(long features, Tensor x)
    {
        using var lstm = nn.LSTM(features, Units, batchFirst: true);
        lstm.eval();
        return lstm.forward(x).Item1;
    }
}

public sealed record GRU(int Units, bool ReturnSequences) : RecurrentFuzzLayer(Units, ReturnSequences)
{
    protected override Tensor Sequence(long features, Tensor x)
    {
        using var gru = nn.GRU(features, Units, batchFirst: true);
        gru.eval();
        return gru.forward(x).Item1;
    }
}

/// <summary>Keras' RepeatVector: its input spec is a batch of vectors (ndim 2), each repeated <see cref="Count"/> times.</summary>
public sealed record RepeatVector(int Count) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => [Required(Count)];

    public override Tensor Forward(Tensor x)
    {
        if (x.dim() != 2) throw new ArgumentException($"RepeatVector expects a batch of vectors (ndim 2), not ndim {x.dim()}");
        return x.unsqueeze(1).repeat(1, Count, 1);
    }

    public override IEnumerable<FuzzLayer> Simplifications() => Smaller(Count, 1).Select(c => new RepeatVector(c));
}

public sealed record LeakyReLU(double Slope) : FuzzLayer
{
    protected override IEnumerable<Parameter> Parameters() => [Optional("slope", Slope, 0.01)];

    public override Tensor Forward(Tensor x) => Run(nn.LeakyReLU(Slope), x);

    public override IEnumerable<FuzzLayer> Simplifications()
    {
        if (Slope != 0.01) yield return new LeakyReLU(0.01);
    }
}

/// <summary>The argument-free activations; softmax and log-softmax over the last axis.</summary>
public sealed record Activation(string Name) : FuzzLayer
{
    public static readonly string[] Names = ["ReLU", "Tanh", "Sigmoid", "Softmax", "LogSoftmax"];

    public override string Kind => Name;

    public override Tensor Forward(Tensor x) => Run(Name switch
    {
        "ReLU" => nn.ReLU(),
        "Tanh" => nn.Tanh(),
        "Sigmoid" => nn.Sigmoid(),
        "Softmax" => nn.Softmax(dim: -1),
        "LogSoftmax" => nn.LogSoftmax(dim: -1),
        _ => throw new InvalidOperationException("unknown activation " + Name),
    }, x);
}
