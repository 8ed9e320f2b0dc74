using ModelDsl;

/// <summary>A small DCGAN-style generator: 16 latent values to a 28×28 image in [−1, 1] (untrained here: the smoke test exports it).</summary>
[Input(16)]
[Dense(32 * 7 * 7, useBias: false)] [BatchNormalization] [ReLU]
[Reshape(32, 7, 7)]
[Conv2DTranspose(16, 4, stride: 2, padding: Padding.Same)] [ReLU]
[Conv2DTranspose(1, 4, stride: 2, padding: Padding.Same)] [Tanh]
[Output(1, 28, 28)]
public partial class TinyGenerator;
