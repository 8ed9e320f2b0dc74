using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using ModelDsl.Export;
using ModelDsl.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.ShapeFuzz;

/// <summary>
/// The fuzzer's ONNX arm: the generated classes of the accepted stacks, compiled and loaded, are exported with
/// ModelDsl.Onnx and run in ONNX Runtime on the batch TorchSharp runs in eval mode (random floats, zero indices). The
/// output's shape must be TorchSharp's and every value within 1e-4 · max(1, |TorchSharp's|).
/// </summary>
public static class OnnxArm
{
    /// <summary>Each of <paramref name="accepted"/> (stack indices of the compilation) and what is wrong with its export, or null when ONNX Runtime agrees.</summary>
    public static IReadOnlyDictionary<int, string?> Check(Compilation output, IReadOnlyList<int> accepted)
    {
        if (accepted.Count == 0) return new Dictionary<int, string?>();
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        if (!emitted.Success)
        {
            var error = "the generated code does not build: " + emitted.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
            return accepted.ToDictionary(i => i, _ => (string?)error);
        }
        // Collectible: thousands of stacks' assemblies would otherwise stay loaded. Runtime and TorchSharp resolve to the fuzzer's own.
        var context = new AssemblyLoadContext("fuzz-onnx", isCollectible: true);
        try
        {
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            return accepted.ToDictionary(i => i, i => CheckOne(assembly.GetType("Fuzz." + GeneratorHarness.ClassName(i))!));
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The ONNX arm on one stack alone (for shrinking): null when it agrees or the generator rejects it.</summary>
    public static string? Check(FuzzStack stack)
    {
        var (verdicts, output) = GeneratorHarness.RunWithOutput([stack]);
        return verdicts[0].Accepted && verdicts[0].CompileErrors.Count == 0 ? Check(output, [0])[0] : null;
    }

    private static string? CheckOne(Type type)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        module.eval();
        try
        {
            var proto = OnnxExport.ToModel((IOnnxExportable)module, type.Name);
            using var random = new torch.Generator(1);
            var declared = OnnxRuntimeRunner.Inputs(proto)[0];
            var input = declared.Type == OnnxElementType.Int64
                ? zeros([TorchRun.Batch, .. declared.PerSampleShape], ScalarType.Int64)
                : randn([TorchRun.Batch, .. declared.PerSampleShape], generator: random);
            var expected = module.forward(input);
            var actual = OnnxRuntimeRunner.Run(proto, [input])[0];
            if (!expected.shape.SequenceEqual(actual.Shape))
                return $"ONNX Runtime gives [{string.Join(", ", actual.Shape)}], TorchSharp [{string.Join(", ", expected.shape)}]";
            var error = OnnxRuntimeRunner.WorstError(actual.Values, expected);
            return error <= 1 ? null : $"ONNX Runtime's values differ from TorchSharp's by {error:G3} times the tolerance 1e-4 · max(1, |value|)";
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return $"the export or its run threw {exception.GetType().Name}: {exception.Message.Split('\n')[0]}";
        }
    }
}
