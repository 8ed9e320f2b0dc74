using ModelDsl;

namespace Models.Mnist.Models;

/// <summary>
/// The fully connected GAN's generator (reference-models.md §5: MindSpore's tutorial, seed 002): 100 values of
/// N(0, 1) through blocks of Dense → BatchNorm1d → LeakyReLU(0.2) of 128, 256, 512 and 1024 units (the first without
/// normalisation), then Dense(784) → Tanh, a 1×28×28 image in [−1, 1]. PyTorch's (and MindSpore's) defaults:
/// Kaiming-uniform weights, BatchNorm momentum 0.1 and epsilon 1e-5.
/// </summary>
[Input(100)]
[Dense(128)] [LeakyReLU(0.2)]
[Dense(256)] [BatchNormalization] [LeakyReLU(0.2)]
[Dense(512)] [BatchNormalization] [LeakyReLU(0.2)]
[Dense(1024)] [BatchNormalization] [LeakyReLU(0.2)]
[Dense(28 * 28)] [Tanh]
[Reshape(1, 28, 28)]
[Output(1, 28, 28)]
public partial class MlpGenerator;
