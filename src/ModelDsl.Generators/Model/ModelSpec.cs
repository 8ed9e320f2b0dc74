using System.Linq;
using ModelDsl.Generators.Layers;

namespace ModelDsl.Generators.Model;

/// <summary>Where the generated partial type goes: namespace, containing types and name.</summary>
/// <param name="Containers">Declarations of the enclosing types, outermost first, e.g. "partial class Outer".</param>
internal sealed record TypeSpec(string? Namespace, string Name, EquatableArray<string> Containers)
{
    public string FullName => (Namespace is null ? "" : Namespace + ".") + string.Join(".", Containers.Select(c => c.Substring(c.LastIndexOf(' ') + 1))) + (Containers.Count > 0 ? "." : "") + Name;
}

/// <summary>The partial method that a method-form stack implements.</summary>
/// <param name="Declaration">The signature as the implementation repeats it, e.g. <c>private partial global::…Tensor Features(global::…Tensor image)</c>.</param>
internal sealed record StackMethod(string Declaration, string ParameterName);

/// <summary>One checked stack as written: its input (declared or taken from another stack), layers and promise.</summary>
/// <param name="Name">The method name, or the type name for the class form.</param>
/// <param name="Method">The partial method, or null for the class form.</param>
internal sealed record StackSpec(string Name, StackMethod? Method, Shape? Input, string? From, EquatableArray<Layer> Layers, Shape? Output);

/// <summary>A layer after shape inference: the module field it becomes and the shapes around it.</summary>
internal sealed record InferredLayer(Layer Layer, string Field, Shape Input, Shape Output, long Parameters);

/// <summary>A stack after shape inference.</summary>
internal sealed record InferredStack(StackSpec Spec, Shape Input, Shape Output, EquatableArray<InferredLayer> Layers)
{
    public bool IsClassForm => Spec.Method is null;
}

/// <summary>
/// Everything the emitter needs, and nothing else: no symbols, syntax or locations, so the code
/// output stays cached when only positions move. <paramref name="HasErrors"/> models are emitted as
/// stubs so that the MDSL errors are not buried under follow-on compiler errors.
/// </summary>
/// <param name="CanConstruct">False when the type cannot take the generated constructor (wrong base, own constructor): only stack stubs are emitted.</param>
internal sealed record ModelSpec(TypeSpec Type, EquatableArray<InferredStack> Stacks, EquatableArray<StackSpec> FailedStacks, bool HasErrors, bool CanConstruct = true)
{
    public long ParameterCount => Stacks.Sum(s => s.Layers.Sum(l => l.Parameters));

    /// <summary>The type's own <c>forward</c>, which the ONNX export composes its stacks by; null when it has none.</summary>
    public ForwardSpec? Forward { get; init; }
}
