using TorchSharp;

namespace ModelDsl;

/// <summary>
/// 2-D convolution of a C×H×W input; input channels are inferred. Output size per axis:
/// <c>(in + padBefore + padAfter − dilation·(kernel − 1) − 1) / stride + 1</c>, or
/// <c>ceil(in / stride)</c> with <see cref="Padding.Same">Padding.Same</see>.
/// </summary>
public sealed class Conv2DAttribute : ConvolutionAttribute
{
    /// <summary>A convolution with symmetric integer padding.</summary>
    public Conv2DAttribute(int filters, int kernel, int stride = 1, int padding = 0, int dilation = 1, Init init = Init.Default, bool useBias = true)
        : base(filters, kernel, stride, padding, null, dilation, init, useBias) { }

    /// <summary>A convolution with Keras-style <see cref="Padding.Same">Padding.Same</see> or <see cref="Padding.Valid">Padding.Valid</see> padding.</summary>
    public Conv2DAttribute(int filters, int kernel, Padding padding, int stride = 1, int dilation = 1, Init init = Init.Default, bool useBias = true)
        : base(filters, kernel, stride, 0, padding, dilation, init, useBias) { }
}
