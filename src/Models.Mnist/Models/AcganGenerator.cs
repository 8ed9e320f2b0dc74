using ModelDsl;
using static TorchSharp.torch;

namespace Models.Mnist.Models;

/// <summary>
/// The AC-GAN generator (Keras' mnist_acgan): a 100-value latent vector, uniform in [−1, 1], and a digit class
/// 0–9 to a 1×28×28 image in [−1, 1]. The class picks a learned 100-vector that scales the latent vector element-wise.
/// Weights start as in Keras: Glorot normal where the recipe names it (the embedding and the convolutions), Keras'
/// default Glorot uniform for the Dense layers, biases zero (TorchSharp's default can stall a GAN: docs/dcgan-initialisation.md).
/// </summary>
public partial class AcganGenerator : nn.Module<Tensor, Tensor, Tensor>
{
    // One int64 class per sample looks up 100 values directly; Keras' Input(shape=(1,)) gives 1×100, hence its Flatten.
    [Input(DType.Int64)]
    [Embedding(10, 100, init: Init.GlorotNormal)]
    private partial Tensor ClassEmbedding(Tensor digit);

    [Input(100)]
    [Multiply(nameof(ClassEmbedding))]
    [Dense(1024, init: Init.GlorotUniform)] [ReLU]
    [Dense(128 * 7 * 7, init: Init.GlorotUniform)] [ReLU]
    [Reshape(128, 7, 7)]
    [UpSampling2D(2)]
    [Conv2D(256, 5, padding: Padding.Same, init: Init.GlorotNormal)] [ReLU]
    [UpSampling2D(2)]
    [Conv2D(128, 5, padding: Padding.Same, init: Init.GlorotNormal)] [ReLU]
    [Conv2D(1, 2, padding: Padding.Same, init: Init.GlorotNormal)] [Tanh]
    [Output(1, 28, 28)]
    private partial Tensor Image(Tensor latent, Tensor classEmbedding);

    /// <summary>Images for a batch: B×100 latent points and B int64 classes → B×1×28×28.</summary>
    public override Tensor forward(Tensor latent, Tensor digit) => Image(latent, ClassEmbedding(digit));
}
