using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Runtime;

/// <summary>
/// <see cref="FoldedConvolution"/> computes what TorchSharp's own convolutions compute, forward and backward (input,
/// weight and bias gradients), for the shapes the generator hands it and around them: odd and even kernels, paddings
/// from 0 to kernel − 1, strides, output padding, several output channels, with and without bias.
/// </summary>
public sealed class FoldedConvolutionTests
{
    [Theory]
    [InlineData(128, 28, 28, 1, 7, 3, true)]   // the DCGAN generator's last layer
    [InlineData(3, 9, 7, 1, 5, 0, true)]
    [InlineData(4, 8, 8, 2, 5, 4, false)]
    [InlineData(2, 6, 11, 3, 6, 2, true)]      // even kernel: the generator pads asymmetrically first, then padding 0
    public void Conv2d_matches_torch_forward_and_backward(int channels, int height, int width, int outputs, int kernel, int padding, bool withBias)
    {
        manual_seed(channels + kernel);
        var (input, weight, bias) = (randn(3, channels, height, width), randn(outputs, channels, kernel, kernel) * 0.1, withBias ? randn(outputs) : null);

        AssertSame(
            (x, w, b) => nn.functional.conv2d(x, w, b, padding: [padding]),
            (x, w, b) => FoldedConvolution.Conv2d(x, w, b, padding),
            input, weight, bias);
    }

    [Theory]
    [InlineData(128, 14, 1, 5, 2, 2, 1, true)] // Keras "same", kernel 5, stride 2: 14 → 28
    [InlineData(64, 7, 1, 5, 1, 2, 0, false)]
    [InlineData(3, 5, 2, 6, 3, 1, 2, true)]
    [InlineData(2, 4, 1, 5, 2, 0, 0, true)]
    public void ConvTranspose2d_matches_torch_forward_and_backward(int channels, int size, int outputs, int kernel, int stride, int padding, int outputPadding, bool withBias)
    {
        manual_seed(channels + kernel);
        var (input, weight, bias) = (randn(3, channels, size, size), randn(channels, outputs, kernel, kernel) * 0.1, withBias ? randn(outputs) : null);
        var outputSize = (size - 1) * stride - 2 * padding + kernel + outputPadding;

        AssertSame(
            (x, w, b) => nn.functional.conv_transpose2d(x, w, b, strides: [stride], padding: [padding], output_padding: [outputPadding]),
            (x, w, b) => FoldedConvolution.ConvTranspose2d(x, w, b, stride, padding, outputSize, outputSize),
            input, weight, bias);
    }

    private static void AssertSame(Func<Tensor, Tensor, Tensor?, Tensor> torchConvolution, Func<Tensor, Tensor, Tensor?, Tensor> folded, Tensor input, Tensor weight, Tensor? bias)
    {
        var (expected, expectedGradients) = Run(torchConvolution, input, weight, bias);
        var (actual, actualGradients) = Run(folded, input, weight, bias);

        Assert.Equal(expected.shape, actual.shape);
        AssertClose("output", expected, actual);
        foreach (var (name, e, a) in expectedGradients.Zip(actualGradients, (e, a) => (e.Name, e.Gradient, a.Gradient)))
            AssertClose(name + " gradient", e, a);
    }

    private static (Tensor Output, List<(string Name, Tensor Gradient)> Gradients) Run(Func<Tensor, Tensor, Tensor?, Tensor> convolution, Tensor input, Tensor weight, Tensor? bias)
    {
        var (x, w, b) = (input.detach().requires_grad_(), weight.detach().requires_grad_(), bias?.detach().requires_grad_());
        var output = convolution(x, w, b);
        // A loss that weighs every output position differently, so that a misplaced window shows in every gradient;
        // positive weights, so that the bias gradient (their sum) does not cancel down to rounding noise.
        (output * (arange(output.numel()).reshape(output.shape).sin() + 1.5)).sum().backward();
        var gradients = new List<(string, Tensor)> { ("input", x.grad!), ("weight", w.grad!) };
        if (b is not null) gradients.Add(("bias", b.grad!));
        return (output.detach(), gradients);
    }

    // float32 sums of up to 6,272 products in different orders: agreement to 1e-5 of the largest magnitude.
    private static void AssertClose(string what, Tensor expected, Tensor actual)
    {
        var scale = Math.Max(expected.abs().max().item<float>(), 1e-6f);
        var error = (expected - actual).abs().max().item<float>() / scale;
        Assert.True(error < 1e-5, $"{what}: max error {error:E2} of the largest magnitude {scale:E2}");
    }
}
