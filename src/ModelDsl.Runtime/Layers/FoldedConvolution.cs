using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Convolutions computed as one matrix product over the input channels followed by <c>fold</c> (col2im) over the
/// kernel window: the same multiply-adds, in a different order. The generated modules call these for layers with one
/// output channel and a kernel of 5×5 or more (an image generator's last layer): oneDNN pads output channels to its
/// vector width (8 with AVX2, 16 with AVX-512), so on such a layer most of its work is on padding, and this form runs
/// the DCGAN's 128→1 7×7 convolution 2.4× faster, forward and backward (bench/README.md). Results equal the direct
/// convolution's within float rounding.
/// </summary>
public static class FoldedConvolution
{
    /// <summary>
    /// <c>conv2d</c> with stride 1, dilation 1 and symmetric <paramref name="padding"/> (at most kernel − 1), as
    /// <c>torch.nn.functional.conv2d(input, weight, bias, padding: padding)</c> computes it.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, long padding)
    {
        var (kernelHeight, kernelWidth) = (weight.shape[2], weight.shape[3]);
        // A stride-1 convolution is the transposed convolution of the flipped kernel with padding kernel − 1 − padding.
        var flipped = weight.flip(2, 3).transpose(0, 1);
        return Fold(input, flipped, bias, (input.shape[2] + 2 * padding - kernelHeight + 1, input.shape[3] + 2 * padding - kernelWidth + 1),
            stride: 1, (kernelHeight - 1 - padding, kernelWidth - 1 - padding));
    }

    /// <summary>
    /// <c>conv_transpose2d</c> with dilation 1, as <c>torch.nn.functional.conv_transpose2d(input, weight, bias, stride,
    /// padding, output_padding)</c> computes it for the output size <paramref name="outputHeight"/> × <paramref name="outputWidth"/>.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias, long stride, long padding, long outputHeight, long outputWidth) =>
        Fold(input, weight, bias, (outputHeight, outputWidth), stride, (padding, padding));

    /// <param name="kernel">in × out × kh × kw, a transposed convolution's weight.</param>
    private static Tensor Fold(Tensor input, Tensor kernel, Tensor? bias, (long Height, long Width) output, long stride, (long Height, long Width) padding)
    {
        var (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        var (kernelHeight, kernelWidth) = (kernel.shape[2], kernel.shape[3]);
        // One row per input pixel times one column per (output channel, kernel position): a single large matrix product.
        var columns = input.permute(0, 2, 3, 1).reshape(batch * height * width, channels)
            .mm(kernel.reshape(channels, -1))
            .view(batch, height * width, -1)
            .transpose(1, 2);
        var folded = nn.functional.fold(columns, output, (kernelHeight, kernelWidth), padding: padding, stride: (stride, stride));
        return bias is null ? folded : folded + bias.view(1, -1, 1, 1);
    }
}
