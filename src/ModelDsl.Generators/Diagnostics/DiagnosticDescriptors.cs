using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>Every diagnostic ModelDsl reports. IDs are stable: never renumber, only add (see AnalyzerReleases.*.md).</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "ModelDsl";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingInput = Error(DiagnosticIds.MissingInput,
        "Layers without an input",
        "'{0}' declares layers but no [Input] or [From]: add [Input(…)] with the per-sample input shape before the first layer");

    public static readonly DiagnosticDescriptor NotPartial = Error(DiagnosticIds.NotPartial,
        "Model type is not partial",
        "'{0}' must be declared partial so that ModelDsl can generate its layers");

    public static readonly DiagnosticDescriptor OutputMismatchWithFix = Error(DiagnosticIds.OutputMismatchWithFix,
        "Layer breaks the promised output shape",
        "{0} turns {1} into {2}, so '{3}' ends at {4} but [Output] promises {5} ({6}); {7} would give {5}");

    public static readonly DiagnosticDescriptor OutputMismatch = Error(DiagnosticIds.OutputMismatch,
        "Output shape differs from [Output]",
        "'{0}' ends at {1} but [Output] promises {2} ({3}); no single argument of one layer fixes it: check the layers, or write [Output({4})]");

    public static readonly DiagnosticDescriptor DimensionNotPositive = Error(DiagnosticIds.DimensionNotPositive,
        "Dimension reaches zero or below",
        "{0} turns {1} into {2}: every dimension must be at least 1");

    public static readonly DiagnosticDescriptor KernelLargerThanInput = Error(DiagnosticIds.KernelLargerThanInput,
        "Kernel larger than its padded input",
        "{0} needs a window of {1} but its input {2} is only {3} wide after padding: use a kernel of at most {4}, add padding, or remove a downsampling layer before it");

    public static readonly DiagnosticDescriptor ReshapeCountMismatch = Error(DiagnosticIds.ReshapeCountMismatch,
        "Reshape changes the element count",
        "{0} needs {1} elements per sample but its input {2} has {3}");

    public static readonly DiagnosticDescriptor WrongRank = Error(DiagnosticIds.WrongRank,
        "Layer cannot take an input of this rank",
        "{0} needs {1} but receives {2}{3}");

    public static readonly DiagnosticDescriptor EmbeddingNeedsIntegers = Error(DiagnosticIds.EmbeddingNeedsIntegers,
        "Embedding needs integer input",
        "{0} looks up integer indices but receives {1}: feed it from [Input(DType.Int64)] before any other layer");

    public static readonly DiagnosticDescriptor IntegersNeedEmbedding = Error(DiagnosticIds.IntegersNeedEmbedding,
        "Integer input reaches a layer that needs floats",
        "{0} receives integer indices ({1}): start the stack with [Embedding(count, dim)], or declare a float [Input]");

    public static readonly DiagnosticDescriptor UnknownStack = Error(DiagnosticIds.UnknownStack,
        "[From], [Multiply] or [Add] names no stack",
        "[{0}(\"{1}\")] names no stack of '{2}'; its stacks are: {3}");

    public static readonly DiagnosticDescriptor StackCycle = Error(DiagnosticIds.StackCycle,
        "Stacks feed each other in a cycle",
        "Stack '{0}' feeds itself through [{1}]: {2}");

    public static readonly DiagnosticDescriptor InvalidArgument = Error(DiagnosticIds.InvalidArgument,
        "Invalid layer argument",
        "{0}: {1}");

    public static readonly DiagnosticDescriptor LayersInSeveralDeclarations = Error(DiagnosticIds.LayersInSeveralDeclarations,
        "Layers spread over several partial declarations",
        "The layers of '{0}' are spread over several partial declarations, so their order is undefined: keep [Input], the layers and [Output] of one stack on one declaration");

    public static readonly DiagnosticDescriptor InputAndFrom = Error(DiagnosticIds.InputAndFrom,
        "Stack has both [Input] and [From]",
        "Stack '{0}' has both [Input] and [From]: a stack takes its input from exactly one of them");

    public static readonly DiagnosticDescriptor InvalidStackMethod = Error(DiagnosticIds.InvalidStackMethod,
        "Invalid stack method",
        "Stack method '{0}' must be a partial method without a body that takes one Tensor (one more per [Multiply] or [Add]) and returns Tensor ({1})");

    public static readonly DiagnosticDescriptor NotAModule = Error(DiagnosticIds.NotAModule,
        "Model type has an incompatible base class",
        "'{0}' {1}");

    public static readonly DiagnosticDescriptor ElementCountOverflow = Error(DiagnosticIds.ElementCountOverflow,
        "Too many elements per sample",
        "{0} produces {1}, more elements per sample than a tensor can hold");

    public static readonly DiagnosticDescriptor UnsupportedType = Error(DiagnosticIds.UnsupportedType,
        "Unsupported model type",
        "'{0}' is {1}: a ModelDsl model must be a non-generic class");

    public static readonly DiagnosticDescriptor ConstructorConflict = Error(DiagnosticIds.ConstructorConflict,
        "Model declares its own parameterless constructor",
        "'{0}' declares a parameterless constructor, but ModelDsl generates it to build the layers: remove it, or give your constructor parameters and chain it with ': this()'");

    public static readonly DiagnosticDescriptor OutputOnEmptyInput = Error(DiagnosticIds.OutputOnEmptyInput,
        "[Output] without a stack",
        "[Output] on '{0}' has no [Input] or [From] to start the stack it describes");

    public static readonly DiagnosticDescriptor InvalidInput = Error(DiagnosticIds.InvalidInput,
        "Invalid input shape",
        "[Input] of '{0}': {1}");

    public static readonly DiagnosticDescriptor UnknownLayer = Error(DiagnosticIds.UnknownLayer,
        "Layer attribute without a rule",
        "'{0}' derives from LayerAttribute, but ModelDsl has no shape rule for it: derive it from CustomLayerAttribute and declare its [ShapeRule]");

    public static readonly DiagnosticDescriptor InvalidOutput = Error(DiagnosticIds.InvalidOutput,
        "Invalid output shape",
        "[Output] of '{0}': {1}");

    public static readonly DiagnosticDescriptor DuplicateStack = Error(DiagnosticIds.DuplicateStack,
        "Two stacks with one name",
        "'{0}' declares two stacks named '{1}': stack names must be unique within a model");

    public static readonly DiagnosticDescriptor CustomLayerInputMismatch = Error(DiagnosticIds.CustomLayerInputMismatch,
        "Custom layer input differs from its shape rule",
        "{0} needs axis {1} to be {2}, as its [ShapeRule] says, but receives {3}");

    public static readonly DiagnosticDescriptor CustomLayerRuleFails = Error(DiagnosticIds.CustomLayerRuleFails,
        "Custom layer shape rule cannot be evaluated",
        "The [ShapeRule] of {0} cannot be evaluated for the input {1}: {2}");

    public static readonly DiagnosticDescriptor OperandsDoNotBroadcast = Error(DiagnosticIds.OperandsDoNotBroadcast,
        "Element-wise operands do not broadcast",
        "{0} cannot combine {1} from '{2}' with {3} from '{4}': per-sample shapes must be equal or broadcast (aligned at the last axis, each pair of sizes equal or one of them 1), but axis {5} is {6} against {7}");

    public static readonly DiagnosticDescriptor InternalError = new("MDSL0999",
        "ModelDsl failed",
        "ModelDsl could not process '{0}': {1}. Please report this with the declaration that caused it.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
        typeof(DiagnosticDescriptors).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id)
            .ToArray();

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => s_byId[id];
}
