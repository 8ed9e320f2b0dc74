using Microsoft.ML.OnnxRuntime;
using Models.Mnist.Imaging;

namespace Models.Mnist.Evaluation;

/// <summary>
/// Draws a grid of digits from a generator written by <c>export</c>, through ONNX Runtime alone (<c>generate --onnx</c>):
/// libtorch is not called. The file's metadata says how it samples (latent size and prior, pixel range, whether it takes
/// a digit); the latent points are <see cref="DigitGridPlan"/>'s, so the picture equals <c>generate</c>'s for the same seed.
/// </summary>
internal static class OnnxDigits
{
    public static (GrayImage Grid, string Drawn) Draw(string file, int? count, IReadOnlyList<int>? digits, int seed)
    {
        using var session = Open(file);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        string Required(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new OnnxFileException(file, $"has no '{key}' in its metadata: pass a generator written by 'export' from a GAN run");
        var latentSize = int.Parse(Required("latent_size"), CultureInfo.InvariantCulture);
        var prior = Required("latent_prior") == "uniform" ? LatentPrior.Uniform : LatentPrior.Normal;
        var range = Required("pixel_range") == "-1..1" ? PixelRange.MinusOneToOne : PixelRange.ZeroToOne;
        var conditional = metadata.ContainsKey("classes");
        if (digits is not null && !conditional)
            throw new OnnxFileException(file, $"holds a '{Required("model")}' generator, which cannot draw chosen digits: --digit and --digits need an AC-GAN's");
        var plan = conditional
            ? DigitGridPlan.Conditional(count, digits, latentSize, prior, seed)
            : DigitGridPlan.Unconditional(count, latentSize, seed);

        var names = session.InputNames;
        var inputs = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(plan.Latent, [plan.Count, plan.LatentSize]) };
        if (conditional) inputs.Add(OrtValue.CreateTensorValueFromMemory(plan.Digits!, [plan.Count]));
        try
        {
            if (names.Count != inputs.Count)
                throw new OnnxFileException(file, $"takes {names.Count} inputs where its metadata promises {inputs.Count}");
            using var options = new Microsoft.ML.OnnxRuntime.RunOptions();
            using var outputs = session.Run(options, names, inputs, session.OutputNames);
            var shape = outputs[0].GetTensorTypeAndShape().Shape;
            if (shape is not [_, 1, var height, var width])
                throw new OnnxFileException(file, $"gives [{string.Join(", ", shape)}], not N×1×H×W images");
            return (ImageGrid.Compose(outputs[0].GetTensorDataAsSpan<float>(), (int)height, (int)width, plan.Rows, plan.Columns, range), plan.Drawn);
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }

    private static InferenceSession Open(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file}: no such ONNX file", file);
        try
        {
            return new InferenceSession(file);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new OnnxFileException(file, $"is not an ONNX model ONNX Runtime can load ({exception.Message})");
        }
    }
}

/// <summary>An ONNX file that cannot be drawn from, with the reason.</summary>
internal sealed class OnnxFileException(string file, string problem) : Exception($"{file}: {problem}");
