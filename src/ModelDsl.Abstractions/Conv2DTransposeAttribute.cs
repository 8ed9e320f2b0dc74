using TorchSharp;

namespace ModelDsl;

/// <summary>
/// 2-D transposed convolution of a C×H×W input; input channels are inferred. Output size per axis:
/// <c>(in − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1</c>, or
/// <c>in · stride</c> with <see cref="Padding.Same">Padding.Same</see>.
/// </summary>
public sealed class Conv2DTransposeAttribute : ConvolutionAttribute
{
    /// <summary>A transposed convolution with integer padding.</summary>
    public Conv2DTransposeAttribute(int filters, int kernel, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1, Init init = Init.Default, bool useBias = true)
        : base(filters, kernel, stride, padding, null, dilation, init, useBias) => OutputPadding = outputPadding;

    /// <summary>A transposed convolution with Keras-style padding (Same: output = input · stride).</summary>
    public Conv2DTransposeAttribute(int filters, int kernel, Padding padding, int stride = 1, int dilation = 1, Init init = Init.Default, bool useBias = true)
        : base(filters, kernel, stride, 0, padding, dilation, init, useBias) { }

    /// <summary>Extra rows/columns added at the bottom/right; must be below max(stride, dilation).</summary>
    public int OutputPadding { get; }
}
