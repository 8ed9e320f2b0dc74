namespace ModelDsl;

/// <summary>
/// The compile-time shape rule of a <c>CustomLayerAttribute</c> (ModelDsl.Runtime), in a small expression language.
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
    public string Parameters { get; set; } = "0";
}
