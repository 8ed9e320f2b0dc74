using ModelDsl;

namespace Models.Mnist.Models;

/// <summary>The classic Keras MNIST CNN: a 1×28×28 image to 10 class logits (softmax lives in the loss).</summary>
[Input(1, 28, 28)]
[Conv2D(32, 3)] [ReLU]
[Conv2D(64, 3)] [ReLU]
[MaxPooling2D(2)]
[Dropout(0.25)]
[Flatten]
[Dense(128)] [ReLU]
[Dropout(0.5)]
[Dense(10)]
[Output(10)]
public partial class DigitClassifier;
