using TorchSharp;

namespace ModelDsl;

/// <summary>What <see cref="Conv2DAttribute"/> and <see cref="Conv2DTransposeAttribute"/> share: their common arguments.</summary>
public abstract class ConvolutionAttribute : LayerAttribute
{
    private protected ConvolutionAttribute(int filters, int kernel, int stride, int padding, Padding? paddingMode, int dilation, Init init, bool useBias)
    {
        Filters = filters;
        Kernel = kernel;
        Stride = stride;
        PaddingSize = padding;
        PaddingMode = paddingMode;
        Dilation = dilation;
        Init = init;
        UseBias = useBias;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>Square kernel size.</summary>
    public int Kernel { get; }
    /// <summary>Step between kernel positions (for a transposed convolution, the upsampling factor).</summary>
    public int Stride { get; }
    /// <summary>
    /// Rows/columns of padding on each side when <see cref="PaddingMode"/> is null: zeros added by a convolution, rows
    /// and columns cropped by a transposed one.
    /// </summary>
    public int PaddingSize { get; }
    /// <summary>Keras padding mode, when one was given.</summary>
    public Padding? PaddingMode { get; }
    /// <summary>Spacing between kernel elements.</summary>
    public int Dilation { get; }
    /// <summary>How the kernel starts (the bias zero unless <see cref="Init.Default"/>).</summary>
    public Init Init { get; }
    /// <summary>Whether a bias is added (Keras' <c>use_bias</c>); false where a following BatchNormalization's shift makes it redundant.</summary>
    public bool UseBias { get; }
}
