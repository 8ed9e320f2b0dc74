using ModelDsl;

namespace Models.Mnist.Models;

/// <summary>
/// The TensorFlow DCGAN tutorial's discriminator (reference-models.md §5, seed 003): a 1×28×28 image in [−1, 1] to
/// one logit (real when positive); the losses take logits, as the tutorial's <c>from_logits=True</c>. Keras'
/// defaults: Glorot uniform weights, zero biases, <c>LeakyReLU()</c>'s slope 0.3.
/// </summary>
[Input(1, 28, 28)]
[Conv2D(64, 5, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.3)] [Dropout(0.3)]
[Conv2D(128, 5, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.3)] [Dropout(0.3)]
[Flatten]
[Dense(1, init: Init.GlorotUniform)]
[Output(1)]
public partial class DcganBnDiscriminator;
