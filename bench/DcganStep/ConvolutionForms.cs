using System.Diagnostics;
using System.Globalization;
using ModelDsl.Layers;
using static TorchSharp.torch;

namespace ModelDsl.Bench.DcganStep;

/// <summary>
/// The measurement behind the generator's choice of <see cref="FoldedConvolution"/>: forward and backward of one
/// convolution at batch 64, TorchSharp's own (oneDNN) against the folded form, over output channels and kernel sizes,
/// for the shapes of an MNIST generator's last layer and around them.
/// </summary>
internal static class ConvolutionForms
{
    private static readonly (long Channels, long Size, long Kernel, long Stride, bool Transposed)[] Cases =
    [
        (128, 28, 7, 1, false), (128, 28, 3, 1, false), (64, 32, 5, 1, false), (128, 14, 5, 2, true), (64, 14, 4, 2, true),
    ];

    public static void Run(int repeats)
    {
        Console.WriteLine($"{"convolution",-34}  {"outputs",7}  {"oneDNN ms",9}  {"folded ms",9}  {"speed-up",8}  {"max rel. diff",13}");
        foreach (var (channels, size, kernel, stride, transposed) in Cases)
            foreach (var outputs in new long[] { 1, 3, 4, 8, 16 })
            {
                using var scope = NewDisposeScope();
                manual_seed(1);
                var input = randn(64, channels, size, size).requires_grad_();
                var weight = (transposed ? randn(channels, outputs, kernel, kernel) : randn(outputs, channels, kernel, kernel)).mul(0.05).requires_grad_();
                var bias = zeros(outputs).requires_grad_();
                // Keras "same": stride-1 convolutions keep the size, stride-2 transposed ones double it.
                var padding = transposed ? (kernel - stride + 1) / 2 : kernel / 2;
                var output = transposed ? size * stride : size;
                var outputPadding = transposed ? output - ((size - 1) * stride - 2 * padding + kernel) : 0;
                Func<Tensor> direct = transposed
                    ? () => nn.functional.conv_transpose2d(input, weight, bias, strides: [stride], padding: [padding], output_padding: [outputPadding])
                    : () => nn.functional.conv2d(input, weight, bias, padding: [padding]);
                Func<Tensor> folded = transposed
                    ? () => FoldedConvolution.ConvTranspose2d(input, weight, bias, stride, padding, output, output)
                    : () => FoldedConvolution.Conv2d(input, weight, bias, padding);
                var reference = direct().detach();
                var difference = (reference - folded().detach()).abs().max().item<float>() / reference.abs().max().item<float>();
                var (directMs, foldedMs) = (Median(direct, repeats), Median(folded, repeats));
                var name = $"{(transposed ? "ConvTranspose2d" : "Conv2d")} {channels}×{size}² k{kernel} s{stride}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-34}  {outputs,7}  {directMs,9:0.0}  {foldedMs,9:0.0}  {directMs / foldedMs,8:0.00}  {difference,13:E1}"));
            }
    }

    /// <summary>Median milliseconds of forward + backward (all three gradients), after two warm-up passes.</summary>
    private static double Median(Func<Tensor> convolution, int repeats)
    {
        var times = new List<double>();
        for (var i = 0; i < repeats + 2; i++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var output = convolution();
            output.backward([output.detach().cos()]);
            if (i >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }
}
