using static TorchSharp.torch;

// One forward pass of a batch of eight random images through each model; the exit code says whether the shapes are
// the promised ones.
using var model = new DigitNet();
model.eval();
using var images = randn(8, 1, 28, 28);
using var logits = model.forward(images);
long[] expected = [8, .. DigitNet.OutputShape];

Console.WriteLine(DigitNet.Summary);
Console.WriteLine($"output shape: {string.Join("×", logits.shape)}");
if (!logits.shape.SequenceEqual(expected))
{
    Console.Error.WriteLine($"expected {string.Join("×", expected)}");
    return 1;
}

using var torchStyle = new TorchStyleNet();
using var plain = TorchStyleNet.PlainFirstConvolution();
using var torchStyleLogits = torchStyle.forward(images);
using var plainFeatures = plain.forward(images);
Console.WriteLine($"beside TorchSharp's usings: {string.Join("×", torchStyleLogits.shape)}, plain Conv2d {string.Join("×", plainFeatures.shape)}");
return torchStyleLogits.shape.SequenceEqual(expected) && plainFeatures.shape.SequenceEqual([8L, 16, 28, 28]) ? 0 : 1;
