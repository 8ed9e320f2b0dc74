using static TorchSharp.torch;

namespace ModelDsl.Export;

/// <summary>The element types of a model's inputs and outputs, numbered as ONNX's TensorProto.DataType numbers them.</summary>
public enum OnnxElementType
{
    /// <summary>32-bit floats: images, latent points, features.</summary>
    Float = 1,

    /// <summary>64-bit integers: class and token ids.</summary>
    Int64 = 7,
}

/// <summary>One attribute of an ONNX node: an integer, a float, a list of either, or a string.</summary>
public sealed record OnnxAttribute(string Name, object Value)
{
    /// <summary>An integer attribute (ONNX INT).</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, value);

    /// <summary>A float attribute (ONNX FLOAT, single precision).</summary>
    public static OnnxAttribute Float(string name, double value) => new(name, (float)value);

    /// <summary>A list of integers (ONNX INTS), e.g. kernel_shape.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, values);

    /// <summary>A list of floats (ONNX FLOATS).</summary>
    public static OnnxAttribute Floats(string name, params float[] values) => new(name, values);

    /// <summary>A string attribute (ONNX STRING), e.g. Resize's mode.</summary>
    public static OnnxAttribute String(string name, string value) => new(name, value);
}

/// <summary>
/// An ONNX graph being written: the calls that generated code makes to write a model's layers as ONNX operators
/// (opset 17), without a dependency on ONNX's file format, which ModelDsl.Onnx writes. Values are named by strings:
/// each method returns the name of the value it creates, which later nodes take as an input.
/// </summary>
public interface IOnnxGraph
{
    /// <summary>A graph input of <paramref name="perSampleShape"/> behind a batch axis of any size.</summary>
    string Input(string name, OnnxElementType type, ReadOnlySpan<long> perSampleShape);

    /// <summary>A graph output: <paramref name="value"/> under <paramref name="name"/>, of <paramref name="perSampleShape"/> behind the batch axis.</summary>
    void Output(string name, string value, OnnxElementType type, ReadOnlySpan<long> perSampleShape);

    /// <summary>A float initializer holding <paramref name="value"/>'s current values (a module's weight, or a tensor made from them).</summary>
    string Weight(string name, Tensor value);

    /// <summary>An int64 initializer of <paramref name="values"/> (shapes, axes, pads).</summary>
    string Constant(string name, params long[] values);

    /// <summary>A node of <paramref name="operatorType"/> with one output, whose name it returns.</summary>
    string Node(string operatorType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes);

    /// <summary>A node of <paramref name="operatorType"/> with <paramref name="outputs"/> outputs, whose names it returns.</summary>
    IReadOnlyList<string> Node(string operatorType, IReadOnlyList<string> inputs, int outputs, params OnnxAttribute[] attributes);
}

/// <summary>
/// A model that writes itself into an ONNX graph with its current weights (in inference form: batch normalization
/// with its running statistics, no dropout). ModelDsl generates it for every model.
/// </summary>
public interface IOnnxExportable
{
    /// <summary>The stacks that <see cref="WriteOnnxStack"/> writes, each a graph of its own.</summary>
    IReadOnlyList<string> OnnxStacks { get; }

    /// <summary>
    /// Whether <see cref="WriteOnnx"/> writes the whole model: a class-level stack, or a <c>forward</c> that only
    /// calls stacks (else the stacks are exported one by one).
    /// </summary>
    bool HasOnnxGraph { get; }

    /// <summary>Writes the whole model: <c>forward</c>'s parameters become the graph's inputs, what it returns its outputs.</summary>
    void WriteOnnx(IOnnxGraph graph);

    /// <summary>Writes one stack of <see cref="OnnxStacks"/>: its parameters become the graph's inputs, its result the output.</summary>
    void WriteOnnxStack(IOnnxGraph graph, string stack);
}

/// <summary>
/// The ONNX nodes of a custom layer's module: a module built by <see cref="CustomLayerAttribute.CreateModule"/> that
/// implements it exports; one that does not makes the export fail, naming the layer.
/// </summary>
public interface IOnnxLayer
{
    /// <summary>Writes the layer's nodes for the value <paramref name="input"/>; <paramref name="name"/> prefixes its initializers' names. Returns the output value.</summary>
    string WriteOnnx(IOnnxGraph graph, string input, string name);
}

/// <summary>Why a model cannot be written as ONNX (e.g. a custom layer without <see cref="IOnnxLayer"/>).</summary>
public sealed class OnnxExportException(string message) : Exception(message);
