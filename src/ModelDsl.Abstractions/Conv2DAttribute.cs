using TorchSharp;

namespace ModelDsl;

/// <summary>
/// 2-D convolution of a C×H×W input; input channels are inferred. Output size per axis:
/// <c>(in + padBefore + padAfter − dilation·(kernel − 1) − 1) / stride + 1</c>, or
/// <c>ceil(in / stride)</c> with <see cref="Padding.Same">Padding.Same</see>.
/// </summary>
public sealed class Conv2DAttribute : LayerAttribute
{
    /// <summary>A convolution with symmetric integer padding.</summary>
    public Conv2DAttribute(int filters, int kernel, int stride = 1, int padding = 0, int dilation = 1, Init init = Init.Default)
    {
        Filters = filters;
        Kernel = kernel;
        Stride = stride;
        PaddingSize = padding;
        Dilation = dilation;
        Init = init;
    }

    /// <summary>A convolution with Keras-style <see cref="Padding.Same">Padding.Same</see> or <see cref="Padding.Valid">Padding.Valid</see> padding.</summary>
    public Conv2DAttribute(int filters, int kernel, Padding padding, int stride = 1, int dilation = 1, Init init = Init.Default)
        : this(filters, kernel, stride, 0, dilation, init) => PaddingMode = padding;

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>Square kernel size.</summary>
    public int Kernel { get; }
    /// <summary>Step between kernel positions.</summary>
    public int Stride { get; }
    /// <summary>Zeros added on each side (when <see cref="PaddingMode"/> is null).</summary>
    public int PaddingSize { get; }
    /// <summary>Keras padding mode, when one was given.</summary>
    public Padding? PaddingMode { get; }
    /// <summary>Spacing between kernel elements.</summary>
    public int Dilation { get; }
    /// <summary>How the kernel starts (the bias zero unless <see cref="Init.Default"/>).</summary>
    public Init Init { get; }
}
