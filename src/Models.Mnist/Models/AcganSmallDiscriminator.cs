using ModelDsl;
using static TorchSharp.torch;

namespace Models.Mnist.Models;

/// <summary>
/// The CPU-sized AC-GAN discriminator (<c>acgan-small</c>): the convolutions of TensorFlow's DCGAN tutorial
/// (<see cref="DcganBnDiscriminator"/>, reference-models.md §5) shared by two heads, as <see cref="AcganDiscriminator"/>
/// has them: a validity logit (real when positive; the loss takes logits) and 10 class logits. Keras' defaults:
/// Glorot uniform weights, zero biases, <c>LeakyReLU()</c>'s slope 0.3.
/// </summary>
public partial class AcganSmallDiscriminator : nn.Module<Tensor, (Tensor Validity, Tensor ClassLogits)>
{
    [Input(1, 28, 28)]
    [Conv2D(64, 5, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.3)] [Dropout(0.3)]
    [Conv2D(128, 5, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.3)] [Dropout(0.3)]
    [Flatten]
    private partial Tensor Features(Tensor image);

    [From(nameof(Features))] [Dense(1, init: Init.GlorotUniform)]
    [Output(1)]
    private partial Tensor Validity(Tensor features);

    [From(nameof(Features))] [Dense(10, init: Init.GlorotUniform)]
    [Output(10)]
    private partial Tensor ClassLogits(Tensor features);

    /// <summary>For a batch of B images: B×1 validity logits and B×10 class logits.</summary>
    public override (Tensor Validity, Tensor ClassLogits) forward(Tensor image)
    {
        var features = Features(image);
        return (Validity(features), ClassLogits(features));
    }
}
