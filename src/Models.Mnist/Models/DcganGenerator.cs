using ModelDsl;

namespace Models.Mnist.Models;

/// <summary>
/// The basic MNIST GAN's generator: a 100-value latent vector to a 1×28×28 image in [0, 1]. Weights start as
/// Keras starts them (Glorot uniform, zero biases), without which this recipe collapses (docs/dcgan-initialisation.md).
/// </summary>
[Input(100)]
[Dense(128 * 7 * 7, init: Init.GlorotUniform)] [LeakyReLU(0.2)]
[Reshape(128, 7, 7)]
[Conv2DTranspose(128, 4, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.2)]
[Conv2DTranspose(128, 4, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.2)]
[Conv2D(1, 7, padding: Padding.Same, init: Init.GlorotUniform)] [Sigmoid]
[Output(1, 28, 28)]
public partial class DcganGenerator;
