using ModelDsl;

namespace Models.Mnist.Models;

/// <summary>The basic MNIST GAN's discriminator: a 1×28×28 image to the probability that it is real.</summary>
[Input(1, 28, 28)]
[Conv2D(64, 3, stride: 2, padding: Padding.Same)] [LeakyReLU(0.2)] [Dropout(0.4)]
[Conv2D(64, 3, stride: 2, padding: Padding.Same)] [LeakyReLU(0.2)] [Dropout(0.4)]
[Flatten]
[Dense(1)] [Sigmoid]
[Output(1)]
public partial class DcganDiscriminator;
