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
