using ModelDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Models;

/// <summary>
/// Keras' mnist_transfer_cnn: two 3×3 convolutions and a pooling layer (the features, frozen for the second task), then
/// a dense head over 5 classes (digits 0–4 first, 5–9 after the transfer). Two stacks, so <c>Freeze(nameof(Features))</c>
/// stops the convolutions alone. Logits: softmax lives in the loss.
/// </summary>
public partial class TransferCnn : nn.Module<Tensor, Tensor>, IGeneratedModel
{
    [Input(1, 28, 28)]
    [Conv2D(32, 3)] [ReLU]
    [Conv2D(32, 3)] [ReLU]
    [MaxPooling2D(2)]
    [Dropout(0.25)]
    [Flatten]
    public partial Tensor Features(Tensor image);

    [From(nameof(Features))]
    [Dense(128)] [ReLU]
    [Dropout(0.5)]
    [Dense(5)]
    [Output(5)]
    public partial Tensor Classification(Tensor features);

    public override Tensor forward(Tensor image) => Classification(Features(image));

    /// <summary>Per-sample input shape: 1×28×28 (batch dimension excluded).</summary>
    public static System.ReadOnlySpan<long> InputShape => FeaturesInputShape;

    /// <summary>Per-sample output shape: 5 logits (batch dimension excluded).</summary>
    public static System.ReadOnlySpan<long> OutputShape => ClassificationOutputShape;
}
