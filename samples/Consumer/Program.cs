using ModelDsl.Onnx;
using static TorchSharp.torch;

// One forward pass of a batch of eight random images through each model; the exit code says whether the shapes are
// the promised ones. With a folder as argument, the models are also exported there as ONNX files (ModelDsl.Onnx).
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
if (args is [var folder])
{
    using var generator = new TinyGenerator();
    generator.eval();
    OnnxExport.Save(model, Path.Combine(folder, "digitnet.onnx"), "DigitNet");
    // What a reader of a generator's file needs: ModelDsl's MNIST app writes the same keys.
    OnnxExport.Save(generator, Path.Combine(folder, "generator.onnx"), "TinyGenerator",
        new Dictionary<string, string> { ["latent_size"] = "16", ["latent_prior"] = "normal", ["pixel_range"] = "-1..1" });
    Console.WriteLine($"exported: {string.Join(", ", Directory.GetFiles(folder, "*.onnx").Select(Path.GetFileName).Order())}");
}
return torchStyleLogits.shape.SequenceEqual(expected) && plainFeatures.shape.SequenceEqual([8L, 16, 28, 28]) ? 0 : 1;
