using ModelDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.TestModels;

/// <summary>
/// The classic Keras CIFAR-10 CNN (keras/examples/cifar10_cnn.py), layer for layer; it ends in logits, since
/// PyTorch's cross-entropy applies the softmax that Keras' model ends with.
/// </summary>
[Input(3, 32, 32)]
[Conv2D(32, 3, padding: Padding.Same)] [ReLU]
[Conv2D(32, 3)] [ReLU]
[MaxPooling2D(2)] [Dropout(0.25)]
[Conv2D(64, 3, padding: Padding.Same)] [ReLU]
[Conv2D(64, 3)] [ReLU]
[MaxPooling2D(2)] [Dropout(0.25)]
[Flatten]
[Dense(512)] [ReLU] [Dropout(0.5)]
[Dense(10)]
[Output(10)]
public partial class Cifar10Cnn;

/// <summary>
/// The same network as two stacks, for transfer learning: freeze the convolutional <c>Features</c>
/// (<c>model.Freeze("Features")</c>) and train the <c>Classifier</c> head on a new task.
/// </summary>
public partial class Cifar10Transfer : nn.Module<Tensor, Tensor>
{
    [Input(3, 32, 32)]
    [Conv2D(32, 3, padding: Padding.Same)] [ReLU] [Conv2D(32, 3)] [ReLU] [MaxPooling2D(2)] [Dropout(0.25)]
    [Conv2D(64, 3, padding: Padding.Same)] [ReLU] [Conv2D(64, 3)] [ReLU] [MaxPooling2D(2)] [Dropout(0.25)]
    [Flatten]
    [Output(2304)]
    private partial Tensor Features(Tensor image);

    [From(nameof(Features))]
    [Dense(512)] [ReLU] [Dropout(0.5)] [Dense(10)]
    [Output(10)]
    private partial Tensor Classifier(Tensor features);

    public override Tensor forward(Tensor image) => Classifier(Features(image));
}
