using ModelDsl;

namespace Models.Mnist.Models;

/// <summary>
/// The TensorFlow DCGAN tutorial's generator (reference-models.md §5, seed 003): 100 values of N(0, 1) to a 1×28×28
/// image in [−1, 1]. The layers before a BatchNormalization have no bias (its shift replaces it). Keras' defaults
/// throughout: Glorot uniform weights, <c>LeakyReLU()</c>'s slope 0.3, and BatchNormalization's momentum 0.99 and
/// epsilon 1e-3, which in PyTorch's terms (the weight of the new batch) is momentum 0.01. Keras reshapes to 7×7×256
/// (channels last); here it is 256×7×7, the same network up to the order of the Dense layer's outputs.
/// </summary>
[Input(100)]
[Dense(7 * 7 * 256, init: Init.GlorotUniform, useBias: false)] [BatchNormalization(0.01, 1e-3)] [LeakyReLU(0.3)]
[Reshape(256, 7, 7)]
[Conv2DTranspose(128, 5, padding: Padding.Same, init: Init.GlorotUniform, useBias: false)] [BatchNormalization(0.01, 1e-3)] [LeakyReLU(0.3)]
[Conv2DTranspose(64, 5, stride: 2, padding: Padding.Same, init: Init.GlorotUniform, useBias: false)] [BatchNormalization(0.01, 1e-3)] [LeakyReLU(0.3)]
[Conv2DTranspose(1, 5, stride: 2, padding: Padding.Same, init: Init.GlorotUniform, useBias: false)] [Tanh]
[Output(1, 28, 28)]
public partial class DcganBnGenerator;
