using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Base of a user-defined layer. Declare its shape rule with <see cref="ShapeRuleAttribute"/> on the
/// derived attribute class, so the generator checks shapes through it, and build its module in
/// <see cref="CreateModule"/>: the generated constructor calls it with the attribute's own arguments.
/// </summary>
/// <example><code>
/// // Keras' antirectifier: concatenates ReLU(x) and ReLU(−x), doubling the features.
/// [ShapeRule("F", "2 * F")]
/// public sealed class AntirectifierAttribute : CustomLayerAttribute
/// {
///     public override nn.Module&lt;Tensor, Tensor&gt; CreateModule(long[] inputShape) => new Antirectifier();
/// }
/// </code></example>
public abstract class CustomLayerAttribute : LayerAttribute
{
    /// <summary>Builds the layer's module for a per-sample input of <paramref name="inputShape"/> (batch excluded).</summary>
    public abstract nn.Module<Tensor, Tensor> CreateModule(long[] inputShape);
}

/// <summary>
/// The compile-time shape rule of a <see cref="CustomLayerAttribute"/>, in a small expression language.
/// <paramref name="input"/> names the per-sample input axes (e.g. <c>"F"</c> or <c>"C, H, W"</c>; a number
/// demands that size); <paramref name="output"/> gives each output axis as an expression over those names and
/// the attribute's integer constructor arguments and properties, with <c>+ - * /</c> (integer division,
/// rounding down) and parentheses, e.g. <c>"2 * F"</c> or <c>"filters, (H - 1) / 2 + 1, W"</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ShapeRuleAttribute(string input, string output) : Attribute
{
    /// <summary>Names (or required sizes) of the input axes, comma-separated.</summary>
    public string Input { get; } = input;

    /// <summary>One expression per output axis, comma-separated.</summary>
    public string Output { get; } = output;

    /// <summary>Trainable parameters as an expression of the same names (default 0).</summary>
    public string Parameters { get; init; } = "0";
}
