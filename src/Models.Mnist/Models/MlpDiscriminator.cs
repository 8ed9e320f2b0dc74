using ModelDsl;

namespace Models.Mnist.Models;

/// <summary>
/// The fully connected GAN's discriminator (reference-models.md §5): a 1×28×28 image in [−1, 1], flattened, through
/// Dense 512 → 256 with LeakyReLU(0.2) to one logit. The recipe's final sigmoid is folded into the loss (binary
/// cross-entropy on logits is the same loss, computed stably), which also leaves an unbounded critic for WGAN-GP.
/// </summary>
[Input(1, 28, 28)]
[Flatten]
[Dense(512)] [LeakyReLU(0.2)]
[Dense(256)] [LeakyReLU(0.2)]
[Dense(1)]
[Output(1)]
public partial class MlpDiscriminator;
