using static TorchSharp.torch;

// One forward pass of a batch of eight random images; the exit code says whether the shape is the promised one.
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
return 0;
