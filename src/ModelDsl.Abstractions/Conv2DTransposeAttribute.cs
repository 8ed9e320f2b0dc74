using TorchSharp;

namespace ModelDsl;

/// <summary>
/// 2-D transposed convolution of a C×H×W input; input channels are inferred. Output size per axis:
/// <c>(in − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1</c>, or
/// <c>in · stride</c> with <see cref="Padding.Same">Padding.Same</see>.
/// </summary>
public sealed class Conv2DTransposeAttribute : LayerAttribute
{
    /// <summary>A transposed convolution with integer padding.</summary>
    public Conv2DTransposeAttribute(int filters, int kernel, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1, Init init = Init.Default)
    {
        Filters = filters;
        Kernel = kernel;
        Stride = stride;
        PaddingSize = padding;
        OutputPadding = outputPadding;
        Dilation = dilation;
        Init = init;
    }

    /// <summary>A transposed convolution with Keras-style padding (Same: output = input · stride).</summary>
    public Conv2DTransposeAttribute(int filters, int kernel, Padding padding, int stride = 1, int dilation = 1, Init init = Init.Default)
        : this(filters, kernel, stride, 0, 0, dilation, init) => PaddingMode = padding;

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>Square kernel size.</summary>
    public int Kernel { get; }
    /// <summary>Upsampling step.</summary>
    public int Stride { get; }
    /// <summary>Rows/columns cropped on each side (when <see cref="PaddingMode"/> is null).</summary>
    public int PaddingSize { get; }
    /// <summary>Extra rows/columns added at the bottom/right; must be below max(stride, dilation).</summary>
    public int OutputPadding { get; }
    /// <summary>Keras padding mode, when one was given.</summary>
    public Padding? PaddingMode { get; }
    /// <summary>Spacing between kernel elements.</summary>
    public int Dilation { get; }
    /// <summary>How the kernel starts (the bias zero unless <see cref="Init.Default"/>).</summary>
    public Init Init { get; }
}
