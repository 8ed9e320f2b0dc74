using System.Runtime.InteropServices;
using Google.Protobuf;
using ModelDsl.Export;
using Onnx;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Collects what generated code writes (<see cref="IOnnxGraph"/>) into ONNX's GraphProto: nodes named after their
/// operator and position, initializers named as the module's state_dict names them, a batch axis named "batch".
/// </summary>
internal sealed class OnnxGraphWriter(string name) : IOnnxGraph
{
    private const string BatchAxis = "batch";
    private readonly HashSet<string> _names = [];
    private int _nodes;

    public GraphProto Graph { get; } = new() { Name = name };

    public string Input(string name, OnnxElementType type, ReadOnlySpan<long> perSampleShape)
    {
        Graph.Input.Add(ValueInfo(Claim(name), type, perSampleShape));
        return name;
    }

    public void Output(string name, string value, OnnxElementType type, ReadOnlySpan<long> perSampleShape)
    {
        // An output is a node's output: a value of another name (or an input passed through) is renamed by Identity.
        if (value != name || Graph.Input.Any(i => i.Name == name))
        {
            var node = new NodeProto { OpType = "Identity", Name = Claim(name + "_identity") };
            node.Input.Add(value);
            node.Output.Add(Claim(name));
            Graph.Node.Add(node);
        }
        Graph.Output.Add(ValueInfo(name, type, perSampleShape));
    }

    public string Weight(string name, Tensor value)
    {
        using var values = value.detach().to(float32).cpu().contiguous();
        var tensor = new TensorProto { Name = Claim(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(values.shape);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.data<float>().ToArray().AsSpan()));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Constant(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = Claim(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Node(string operatorType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) =>
        Node(operatorType, inputs, 1, attributes)[0];

    public IReadOnlyList<string> Node(string operatorType, IReadOnlyList<string> inputs, int outputs, params OnnxAttribute[] attributes)
    {
        var stem = $"{operatorType}_{_nodes++}";
        var node = new NodeProto { OpType = operatorType, Name = Claim(stem) };
        node.Input.AddRange(inputs);
        for (var i = 0; i < outputs; i++) node.Output.Add(Claim(outputs == 1 ? stem + "_out" : $"{stem}_out{i}"));
        node.Attribute.AddRange(attributes.Select(Attribute));
        Graph.Node.Add(node);
        return [.. node.Output];
    }

    /// <summary><paramref name="name"/>, or (when taken) the first free name with a numeric suffix: ONNX names must be unique.</summary>
    private string Claim(string name)
    {
        var claimed = name;
        for (var i = 2; !_names.Add(claimed); i++) claimed = $"{name}_{i}";
        return claimed;
    }

    private static ValueInfoProto ValueInfo(string name, OnnxElementType type, ReadOnlySpan<long> perSampleShape)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchAxis });
        foreach (var size in perSampleShape) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private static AttributeProto Attribute(OnnxAttribute attribute)
    {
        var proto = new AttributeProto { Name = attribute.Name };
        switch (attribute.Value)
        {
            case long value:
                proto.Type = AttributeProto.Types.AttributeType.Int;
                proto.I = value;
                break;
            case float value:
                proto.Type = AttributeProto.Types.AttributeType.Float;
                proto.F = value;
                break;
            case long[] values:
                proto.Type = AttributeProto.Types.AttributeType.Ints;
                proto.Ints.AddRange(values);
                break;
            case float[] values:
                proto.Type = AttributeProto.Types.AttributeType.Floats;
                proto.Floats.AddRange(values);
                break;
            case string value:
                proto.Type = AttributeProto.Types.AttributeType.String;
                proto.S = ByteString.CopyFromUtf8(value);
                break;
            default:
                throw new OnnxExportException($"attribute {attribute.Name} has a value of type {attribute.Value?.GetType().Name ?? "null"}, which ONNX attributes do not take");
        }
        return proto;
    }
}
