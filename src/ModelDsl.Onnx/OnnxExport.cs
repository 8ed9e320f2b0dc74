using System.Reflection;
using Google.Protobuf;
using ModelDsl.Export;
using Onnx;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Writes ModelDsl models to ONNX files: opset 17 and IR version 8 (which ONNX 1.12's checker and every current runtime
/// read), a batch axis of any size, named inputs and outputs, the current weights as initializers, and metadata.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX IR version written.</summary>
    public const long IrVersion = 8;

    /// <summary>The version of ONNX's default operator set the nodes use.</summary>
    public const long Opset = 17;

    /// <summary>
    /// The ONNX model of <paramref name="model"/>: the whole model, or (when <paramref name="stack"/> names one) one of
    /// its stacks, with <paramref name="metadata"/> as the model's metadata_props.
    /// </summary>
    public static ModelProto ToModel(IOnnxExportable model, string name, IReadOnlyDictionary<string, string>? metadata = null, string? stack = null)
    {
        var writer = new OnnxGraphWriter(stack ?? name);
        // Weights are read under no_grad and every temporary (transposes, reordered gates) is freed at the end.
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            if (stack is null) model.WriteOnnx(writer);
            else model.WriteOnnxStack(writer, stack);
        }
        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ModelDsl",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            Graph = writer.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        proto.MetadataProps.Add(new StringStringEntryProto { Key = "name", Value = name });
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    /// <summary>Writes <see cref="ToModel"/>'s model to <paramref name="path"/> (atomically: a failed write leaves no partial file).</summary>
    public static void Save(IOnnxExportable model, string path, string name, IReadOnlyDictionary<string, string>? metadata = null, string? stack = null) =>
        ModelDsl.IO.AtomicFile.WriteAllBytes(path, ToModel(model, name, metadata, stack).ToByteArray());
}
