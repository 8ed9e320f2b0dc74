using System;
using ModelDsl.Generators.Parsing;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Layers;

/// <summary>
/// One layer of a stack, as parsed from its attribute: its arguments (value-equal, so pipeline
/// models cache), argument validation, output-shape rule, parameter count and emitted code.
/// Each kind lives in one file next to the <see cref="LayerRule"/> that parses it.
/// </summary>
internal abstract record Layer
{
    /// <summary>Attribute name without the suffix, e.g. <c>Conv2D</c>; also the type shown in summaries.</summary>
    public abstract string Kind { get; }

    /// <summary>Keras' snake_case name of the layer kind: the stem of field and state_dict names.</summary>
    public abstract string KerasName { get; }

    /// <summary>The attribute in canonical form, e.g. <c>Conv2D(64, 3, stride: 2, padding: Padding.Same)</c>.</summary>
    public string Display => Arguments().Count == 0 ? Kind : $"{Kind}({string.Join(", ", Arguments())})";

    /// <summary>The attribute's arguments in canonical form, defaults left out.</summary>
    protected virtual IReadOnlyList<string> Arguments() => [];

    /// <summary>Arguments that are invalid whatever the input: (parameter name, what is wrong).</summary>
    public virtual IEnumerable<(string Parameter, string Problem)> Problems() => [];

    /// <summary>Which input ranks the layer takes, e.g. "a channels×height×width input"; null for any.</summary>
    public virtual string? RequiredRank(int rank) => null;

    /// <summary>Whether integer (index) inputs are meaningful: true only for layers that merely move or look up values.</summary>
    public virtual bool AcceptsIntegers => false;

    /// <summary>Whether the layer only takes integer (index) inputs.</summary>
    public virtual bool RequiresIntegers => false;

    /// <summary>Output shape for a valid input (rank and element type already checked), or a shape error.</summary>
    public abstract ShapeResult Apply(Shape input);

    /// <summary>Trainable parameters for the given input shape, as TorchSharp counts them.</summary>
    public virtual long Parameters(Shape input) => 0;

    /// <summary>Values in non-trainable buffers (e.g. running statistics) for the given input shape.</summary>
    public virtual long Buffers(Shape input) => 0;

    /// <summary>TorchSharp modules this layer needs, in forward order; named from <paramref name="field"/>.</summary>
    public abstract IReadOnlyList<ModuleCode> Modules(Shape input, string field);

    /// <summary>The forward expression for a layer without a module (e.g. a reshape), given the input variable.</summary>
    public virtual string? InlineForward(string x, Shape input, Shape output) => null;

    /// <summary>
    /// The layer in inference form as ONNX nodes (opset 17): expressions that each write one or more nodes through
    /// <see cref="Emit.OnnxCode"/> and return the name of the value they make, each reading the previous one
    /// (<see cref="Emit.OnnxCode.Input"/>); none for a layer that is the identity in inference (Dropout).
    /// </summary>
    public abstract IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field);

    /// <summary>
    /// The stack whose output this layer combines with its input (e.g. [Multiply]); that output arrives as one more
    /// Tensor parameter of the stack method, in layer order. Null for layers that read only their input.
    /// </summary>
    public virtual string? OperandStack => null;

    /// <summary>The stack method's parameter that holds the operand, once the parser has bound it.</summary>
    public virtual string? OperandParameter => null;

    /// <summary>This layer reading its operand from the stack method's <paramref name="parameter"/>.</summary>
    public virtual Layer WithOperandParameter(string parameter) => this;

    /// <summary>This layer, in stack <paramref name="owner"/>, with its operand's per-sample shape known.</summary>
    public virtual Layer WithOperandShape(Shape operand, string owner) => this;

    /// <summary>Single-argument changes worth trying when the stack misses its promised <paramref name="target"/> shape.</summary>
    public virtual IEnumerable<LayerVariant> Variants(Shape target) => [];

    protected static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    protected static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    protected const string SpatialRank = "a channels×height×width input";

    protected static string? RequireSpatial(int rank) => rank == 3 ? null : SpatialRank;

    protected static string? RequireAxes(int rank) => rank >= 1 ? null : "at least one axis";
}

/// <summary>A TorchSharp module field: its name, type and construction expression.</summary>
internal sealed record ModuleCode(string Field, string Type, string Construction, string? Comment = null)
{
    /// <summary>Constructor lines that run after the construction, e.g. a Glorot initialisation of the weight.</summary>
    public IReadOnlyList<string> Initialization { get; init; } = [];

    /// <summary>
    /// The forward expression with <see cref="InputPlaceholder"/> for the input, where the module's parameters are
    /// used by faster code than its own <c>forward</c>; null for <c>Field.forward(input)</c>.
    /// </summary>
    public string? Forward { get; init; }

    public const string InputPlaceholder = "{input}";

    public string ForwardOf(string input) => Forward?.Replace(InputPlaceholder, input) ?? $"{Field}.forward({input})";
}

/// <summary>A changed copy of a layer, with the change described as the user would type it (e.g. "kernel 4").</summary>
internal sealed record LayerVariant(string Change, Layer Layer);

/// <summary>The outcome of a layer's shape rule: the output shape, or an error with its message arguments.</summary>
internal sealed class ShapeResult
{
    private ShapeResult(Shape? output, DiagnosticDescriptor? error, object[] arguments)
    {
        Output = output;
        Error = error;
        Arguments = arguments;
    }

    public Shape? Output { get; }

    public DiagnosticDescriptor? Error { get; }

    public object[] Arguments { get; }

    public static ShapeResult Ok(Shape output) => new(output, null, []);

    public static ShapeResult Fail(DiagnosticDescriptor error, params object[] arguments) => new(null, error, arguments);
}

/// <summary>
/// Parses one layer attribute into its <see cref="Layer"/>. Rules are found by reflection, so a new
/// layer kind is its attribute (ModelDsl.Abstractions) plus one file here holding its rule and its layer record.
/// </summary>
internal abstract class LayerRule
{
    /// <summary>The attribute class's name, written with nameof, e.g. <c>nameof(DenseAttribute)</c>.</summary>
    public abstract string AttributeName { get; }

    /// <summary>The attribute's metadata name, e.g. <c>ModelDsl.DenseAttribute</c>.</summary>
    public string AttributeMetadataName => KnownSymbols.Namespace + "." + AttributeName;

    public abstract Layer Parse(LayerArguments arguments);

    /// <summary>The layer kind an attribute class names: its name without the Attribute suffix.</summary>
    public static string KindOf(string attributeName) =>
        attributeName.EndsWith("Attribute", StringComparison.Ordinal) ? attributeName.Substring(0, attributeName.Length - "Attribute".Length) : attributeName;

    /// <summary>One instance of every rule.</summary>
    public static IReadOnlyList<LayerRule> All { get; } =
        typeof(LayerRule).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(LayerRule).IsAssignableFrom(t))
            .Select(t => (LayerRule)Activator.CreateInstance(t)!)
            .OrderBy(r => r.AttributeName, StringComparer.Ordinal)
            .ToList();
}
