using static TorchSharp.torch;

namespace ModelDsl.Bench.Numerics;

/// <summary>
/// One convolution of the DCGAN (reference-models.md §1) as the generated modules run it, per sample:
/// the discriminator's Keras-"same" stride-2 convolutions see an input already zero-padded to odd size.
/// </summary>
internal sealed record ConvolutionCase(string Name, bool Transposed, long InChannels, long OutChannels, long Size, long Kernel, long Stride, long Padding)
{
    public static IReadOnlyList<ConvolutionCase> Dcgan { get; } =
    [
        new("D.conv2d_0", false, 1, 64, 29, 3, 2, 0),
        new("D.conv2d_3", false, 64, 64, 15, 3, 2, 0),
        new("G.conv2d_transpose_3", true, 128, 128, 7, 4, 2, 1),
        new("G.conv2d_transpose_5", true, 128, 128, 14, 4, 2, 1),
        new("G.conv2d_7", false, 128, 1, 28, 7, 1, 3),
    ];

    /// <summary>Weight shape in PyTorch's layout (transposed: in × out × k × k).</summary>
    public long[] WeightShape => Transposed ? [InChannels, OutChannels, Kernel, Kernel] : [OutChannels, InChannels, Kernel, Kernel];

    public Tensor Apply(Tensor input, Tensor weight, Tensor bias) => Transposed
        ? nn.functional.conv_transpose2d(input, weight, bias, strides: [Stride], padding: [Padding])
        : nn.functional.conv2d(input, weight, bias, strides: [Stride], padding: [Padding]);
}
