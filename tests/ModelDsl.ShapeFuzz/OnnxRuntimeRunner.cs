using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using ModelDsl.Export;
using ModelDsl.Onnx;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.ShapeFuzz;

/// <summary>Exports a model, runs the file in ONNX Runtime on random inputs of its declared shapes, and runs the same inputs through TorchSharp.</summary>
public static class OnnxRuntimeRunner
{
    /// <summary>A graph input as the file declares it: name, element type and per-sample shape (the batch axis left out).</summary>
    public sealed record DeclaredInput(string Name, OnnxElementType Type, long[] PerSampleShape);

    public static IReadOnlyList<DeclaredInput> Inputs(ModelProto model) =>
        [.. model.Graph.Input.Select(i => new DeclaredInput(i.Name, (OnnxElementType)i.Type.TensorType.ElemType,
            [.. i.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue)]))];

    /// <summary>Random inputs for <paramref name="model"/>'s graph: floats from N(0, 1), integers below <paramref name="indexLimit"/>.</summary>
    public static Tensor[] RandomInputs(ModelProto model, long batch, long indexLimit, torch.Generator random) =>
        [.. Inputs(model).Select(input => input.Type == OnnxElementType.Int64
            ? randint(0, indexLimit, [batch, .. input.PerSampleShape], ScalarType.Int64, generator: random)
            : randn([batch, .. input.PerSampleShape], generator: random))];

    /// <summary>The graph's outputs, in the file's order, for <paramref name="inputs"/> given in the graph's input order.</summary>
    public static IReadOnlyList<(string Name, float[] Values, long[] Shape)> Run(ModelProto model, IReadOnlyList<Tensor> inputs)
    {
        // Failures arrive as exceptions: ONNX Runtime's own error log would only repeat them on the console.
        using var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        using var session = new InferenceSession(model.ToByteArray(), sessionOptions);
        var names = Inputs(model).Select(i => i.Name).ToList();
        var values = new Dictionary<string, OrtValue>();
        try
        {
            for (var i = 0; i < inputs.Count; i++)
                values[names[i]] = inputs[i].dtype == ScalarType.Int64
                    ? OrtValue.CreateTensorValueFromMemory(inputs[i].data<long>().ToArray(), inputs[i].shape)
                    : OrtValue.CreateTensorValueFromMemory(inputs[i].data<float>().ToArray(), inputs[i].shape);
            var outputNames = model.Graph.Output.Select(o => o.Name).ToList();
            using var options = new RunOptions();
            using var results = session.Run(options, values, outputNames);
            // Integer outputs (a reshaped index input) are compared as floats: their values are small.
            return [.. outputNames.Select((name, i) => (name,
                results[i].GetTensorTypeAndShape().ElementDataType == TensorElementType.Int64
                    ? results[i].GetTensorDataAsSpan<long>().ToArray().Select(v => (float)v).ToArray()
                    : results[i].GetTensorDataAsSpan<float>().ToArray(),
                results[i].GetTensorTypeAndShape().Shape))];
        }
        finally
        {
            foreach (var value in values.Values) value.Dispose();
        }
    }

    /// <summary>
    /// The worst disagreement of ONNX Runtime's <paramref name="actual"/> values with TorchSharp's <paramref name="expected"/>,
    /// in units of the tolerance 1e-4 · max(1, |expected|): at most 1 where they agree (infinite for a different count, or a NaN
    /// or an infinity on one side only).
    /// </summary>
    public static double WorstError(float[] actual, Tensor expected)
    {
        var wanted = expected.detach().cpu().to(float32).contiguous().data<float>().ToArray();
        if (wanted.Length != actual.Length) return double.PositiveInfinity;
        return wanted.Zip(actual, ElementError).DefaultIfEmpty(0).Max();
    }

    private static double ElementError(float expected, float actual)
    {
        // Equal infinities agree: a max-pooling window that covers only padding gives -inf on both sides, and -inf - -inf is NaN.
        if (expected == actual || (float.IsNaN(expected) && float.IsNaN(actual))) return 0;
        if (!float.IsFinite(expected) || !float.IsFinite(actual)) return double.PositiveInfinity;
        return Math.Abs(actual - expected) / (1e-4 * Math.Max(1, Math.Abs(expected)));
    }

    /// <summary>TorchSharp's outputs of <paramref name="module"/> for <paramref name="inputs"/>, in the order its forward returns them.</summary>
    public static Tensor[] Forward(nn.Module module, Tensor[] inputs) => module switch
    {
        nn.Module<Tensor, Tensor> one => [one.forward(inputs[0])],
        nn.Module<Tensor, Tensor, Tensor> two => [two.forward(inputs[0], inputs[1])],
        nn.Module<Tensor, (Tensor, Tensor)> heads => heads.forward(inputs[0]) is var (first, second) ? [first, second] : [],
        _ => throw new ArgumentException($"no forward of {module.GetType().Name} is known to the tests"),
    };
}
