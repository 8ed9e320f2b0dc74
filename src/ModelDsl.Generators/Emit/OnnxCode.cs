using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generators.Layers;

namespace ModelDsl.Generators.Emit;

/// <summary>
/// The C# that writes ONNX nodes through ModelDsl.Export.IOnnxGraph, for the layers' ONNX mappings. A layer's steps
/// are expressions that each return the name of a new value; <see cref="Input"/> stands for the previous value and
/// <see cref="Graph"/> for the graph, which the emitter names.
/// </summary>
internal static class OnnxCode
{
    public const string Graph = "{graph}";

    public const string Input = ModuleCode.InputPlaceholder;

    private const string Attribute = "global::ModelDsl.Export.OnnxAttribute";

    /// <summary>A node of <paramref name="operatorType"/> on <paramref name="inputs"/> with <paramref name="attributes"/> (from the methods below).</summary>
    public static string Node(string operatorType, IEnumerable<string> inputs, params string[] attributes) =>
        $"{Graph}.Node(\"{operatorType}\", [{string.Join(", ", inputs)}]{string.Concat(attributes.Select(a => ", " + a))})";

    /// <summary>The module <paramref name="field"/>'s tensor <paramref name="member"/> (e.g. weight) as an initializer named as in state_dict.</summary>
    public static string Weight(string field, string member, string? value = null) =>
        $"{Graph}.Weight(\"{field}.{member}\", {value ?? field + "." + member + "!"})";

    /// <summary>An int64 initializer named after the layer's field.</summary>
    public static string Constant(string field, string purpose, IEnumerable<long> values) =>
        $"{Graph}.Constant(\"{field}.{purpose}\", {string.Join(", ", values.Select(Number))})";

    public static string Int(string name, long value) => $"{Attribute}.Int(\"{name}\", {Number(value)})";

    public static string Float(string name, double value) => $"{Attribute}.Float(\"{name}\", {value.ToString("R", CultureInfo.InvariantCulture)})";

    public static string Ints(string name, params long[] values) => $"{Attribute}.Ints(\"{name}\", {string.Join(", ", values.Select(Number))})";

    public static string String(string name, string value) => $"{Attribute}.String(\"{name}\", \"{value}\")";

    /// <summary>
    /// Zeros around <paramref name="value"/> (N×C×H×W) by <paramref name="pads"/> (ONNX's order: the four axes' starts, then
    /// their ends). The pad value is −0.0, which every later operation takes as 0 but which keeps ONNX Runtime's PadFusion
    /// away: it would fold a zero Pad into a following MaxPool, whose own padding is −∞, not 0.
    /// </summary>
    public static string ZeroPad(string value, string field, params long[] pads) => ConstantPad(value, field, "-0.0f", pads);

    /// <summary><paramref name="value"/> padded by <paramref name="pads"/> (ONNX's order) with <paramref name="padValue"/>, a C# float expression.</summary>
    public static string ConstantPad(string value, string field, string padValue, params long[] pads) =>
        Node("Pad", [value, Constant(field, "pads", pads), $"{Graph}.Weight(\"{field}.pad_value\", global::TorchSharp.torch.tensor({padValue}))"]);

    /// <summary>
    /// <paramref name="value"/> with <paramref name="count"/> size-1 axes inserted after the batch axis, so that ONNX's
    /// broadcasting, which aligns whole tensors at their last axis as PyTorch's does, pairs sample axes with sample axes.
    /// </summary>
    public static string WithLeadingOnes(string value, string field, string purpose, int count) =>
        Node("Unsqueeze", [value, Constant(field, purpose, Enumerable.Range(1, count).Select(a => (long)a))]);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
