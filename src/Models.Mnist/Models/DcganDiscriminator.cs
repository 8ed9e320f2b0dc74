using ModelDsl;

namespace Models.Mnist.Models;

/// <summary>
/// The basic MNIST GAN's discriminator: a 1×28×28 image to the probability that it is real. Weights start as
/// Keras starts them (Glorot uniform, zero biases): with PyTorch's default initialisation this recipe's generator
/// collapses to black images and never recovers (docs/dcgan-initialisation.md).
/// </summary>
[Input(1, 28, 28)]
[Conv2D(64, 3, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.2)] [Dropout(0.4)]
[Conv2D(64, 3, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)] [LeakyReLU(0.2)] [Dropout(0.4)]
[Flatten]
[Dense(1, init: Init.GlorotUniform)] [Sigmoid]
[Output(1)]
public partial class DcganDiscriminator;
