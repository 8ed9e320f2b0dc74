using ModelDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Models;

/// <summary>
/// The digit classifier that judges generated digits: a 1×28×28 image to 10 class logits (softmax lives in the loss).
/// Two 5×5 convolutions with batch normalisation, each halving the image, then 128 features (the classic
/// 32C5-P2-64C5-P2-128 MNIST network; about as much work per image as Keras' MNIST CNN, which ended near 99.2%).
/// Two stacks, so the evaluation suite can read the 128 penultimate features (after the ReLU) that FID-MNIST compares.
/// </summary>
public partial class DigitClassifier : nn.Module<Tensor, Tensor>, IGeneratedModel
{
    [Input(1, 28, 28)]
    [Conv2D(32, 5, padding: Padding.Same, useBias: false)] [BatchNormalization] [ReLU]
    [MaxPooling2D(2)]
    [Conv2D(64, 5, padding: Padding.Same, useBias: false)] [BatchNormalization] [ReLU]
    [MaxPooling2D(2)]
    [Dropout(0.2)]
    [Flatten]
    [Dense(128)] [ReLU]
    public partial Tensor Features(Tensor image);

    [From(nameof(Features))]
    [Dropout(0.3)]
    [Dense(10)]
    [Output(10)]
    public partial Tensor Logits(Tensor features);

    public override Tensor forward(Tensor image) => Logits(Features(image));

    /// <summary>Per-sample input shape: 1×28×28 (batch dimension excluded).</summary>
    public static System.ReadOnlySpan<long> InputShape => FeaturesInputShape;

    /// <summary>Per-sample output shape: 10 logits (batch dimension excluded).</summary>
    public static System.ReadOnlySpan<long> OutputShape => LogitsOutputShape;
}
