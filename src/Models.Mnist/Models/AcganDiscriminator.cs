using ModelDsl;
using static TorchSharp.torch;

namespace Models.Mnist.Models;

/// <summary>
/// The AC-GAN discriminator (Keras' mnist_acgan): a 1×28×28 image to the probability that it is real (Keras'
/// "generation" head) and 10 class logits (the "auxiliary" head). Keras ends that head in a softmax; here it stays
/// logits, so the loss applies log-softmax itself (cross-entropy on logits, which is also numerically safer).
/// Weights start with Keras' default, Glorot uniform and zero biases.
/// </summary>
public partial class AcganDiscriminator : nn.Module<Tensor, (Tensor Validity, Tensor ClassLogits)>
{
    [Input(1, 28, 28)]
    [Conv2D(32, 3, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.2)] [Dropout(0.3)]
    [Conv2D(64, 3, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.2)] [Dropout(0.3)]
    [Conv2D(128, 3, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.2)] [Dropout(0.3)]
    [Conv2D(256, 3, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.2)] [Dropout(0.3)]
    [Flatten]
    private partial Tensor Features(Tensor image);

    [From(nameof(Features))] [Dense(1, init: Init.GlorotUniform)] [Sigmoid]
    [Output(1)]
    private partial Tensor Validity(Tensor features);

    [From(nameof(Features))] [Dense(10, init: Init.GlorotUniform)]
    [Output(10)]
    private partial Tensor ClassLogits(Tensor features);

    /// <summary>For a batch of B images: B×1 probabilities of being real and B×10 class logits.</summary>
    public override (Tensor Validity, Tensor ClassLogits) forward(Tensor image)
    {
        var features = Features(image);
        return (Validity(features), ClassLogits(features));
    }
}
