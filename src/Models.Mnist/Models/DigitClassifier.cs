using ModelDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Models;

/// <summary>
/// The classic Keras MNIST CNN: a 1×28×28 image to 10 class logits (softmax lives in the loss). Two stacks, so
/// the evaluation suite can read the 128 penultimate features (after the ReLU) that FID-MNIST compares.
/// </summary>
public partial class DigitClassifier : nn.Module<Tensor, Tensor>, IGeneratedModel
{
    [Input(1, 28, 28)]
    [Conv2D(32, 3)] [ReLU]
    [Conv2D(64, 3)] [ReLU]
    [MaxPooling2D(2)]
    [Dropout(0.25)]
    [Flatten]
    [Dense(128)] [ReLU]
    public partial Tensor Features(Tensor image);

    [From(nameof(Features))]
    [Dropout(0.5)]
    [Dense(10)]
    [Output(10)]
    public partial Tensor Logits(Tensor features);

    public override Tensor forward(Tensor image) => Logits(Features(image));

    /// <summary>Per-sample input shape: 1×28×28 (batch dimension excluded).</summary>
    public static System.ReadOnlySpan<long> InputShape => FeaturesInputShape;

    /// <summary>Per-sample output shape: 10 logits (batch dimension excluded).</summary>
    public static System.ReadOnlySpan<long> OutputShape => LogitsOutputShape;
}
