using ModelDsl;
using static TorchSharp.torch;

namespace Models.Mnist.Models;

/// <summary>
/// The CPU-sized AC-GAN generator (<c>acgan-small</c>): the BatchNorm DCGAN generator of TensorFlow's tutorial
/// (<see cref="DcganBnGenerator"/>, reference-models.md §5) fed, as <see cref="AcganGenerator"/> is, with 100 latent
/// values of N(0, 1) scaled element-wise by a learned 100-vector of the requested digit. Keras' conventions as in
/// DcganBnGenerator: no bias before a BatchNormalization, its momentum 0.99 (PyTorch's 0.01) and epsilon 1e-3,
/// <c>LeakyReLU()</c>'s slope 0.3, Glorot uniform weights; the embedding is Glorot normal as the AC-GAN's.
/// </summary>
public partial class AcganSmallGenerator : nn.Module<Tensor, Tensor, Tensor>
{
    [Input(DType.Int64)]
    [Embedding(10, 100, init: Init.GlorotNormal)]
    private partial Tensor ClassEmbedding(Tensor digit);

    [Input(100)]
    [Multiply(nameof(ClassEmbedding))]
    [Dense(7 * 7 * 256, init: Init.GlorotUniform, useBias: false)] [BatchNormalization(0.01, 1e-3)] [LeakyReLU(0.3)]
    [Reshape(256, 7, 7)]
    [Conv2DTranspose(128, 5, padding: Padding.Same, init: Init.GlorotUniform, useBias: false)] [BatchNormalization(0.01, 1e-3)] [LeakyReLU(0.3)]
    [Conv2DTranspose(64, 5, stride: 2, padding: Padding.Same, init: Init.GlorotUniform, useBias: false)] [BatchNormalization(0.01, 1e-3)] [LeakyReLU(0.3)]
    [Conv2DTranspose(1, 5, stride: 2, padding: Padding.Same, init: Init.GlorotUniform, useBias: false)] [Tanh]
    [Output(1, 28, 28)]
    private partial Tensor Image(Tensor latent, Tensor classEmbedding);

    /// <summary>Images for a batch: B×100 latent points and B int64 classes → B×1×28×28 in [−1, 1].</summary>
    public override Tensor forward(Tensor latent, Tensor digit) => Image(latent, ClassEmbedding(digit));
}
