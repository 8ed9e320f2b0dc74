using ModelDsl;

/// <summary>A small MNIST classifier: two convolution blocks, then a dense layer to the ten digit logits.</summary>
[Input(1, 28, 28)]
[Conv2D(16, 3, padding: Padding.Same)] [ReLU] [MaxPooling2D(2)]
[Conv2D(32, 3, padding: Padding.Same)] [ReLU] [MaxPooling2D(2)]
[Flatten]
[Dense(10)]
[Output(10)]
public partial class DigitNet;
