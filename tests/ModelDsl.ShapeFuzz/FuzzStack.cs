using System.Globalization;
using System.Text;

namespace ModelDsl.ShapeFuzz;

/// <summary>A stack's <c>[Input]</c>: per-sample dimensions (any values, to write invalid ones too) and element type.</summary>
public sealed record FuzzInput(IReadOnlyList<int> Dims, bool IsInteger)
{
    public string Source
    {
        get
        {
            var arguments = (IsInteger ? new[] { "DType.Int64" } : []).Concat(Dims.Select(d => d.ToString(CultureInfo.InvariantCulture))).ToList();
            return arguments.Count == 0 ? "Input" : $"Input({string.Join(", ", arguments)})";
        }
    }

    public bool Equals(FuzzInput? other) => other is not null && IsInteger == other.IsInteger && Dims.SequenceEqual(other.Dims);

    public override int GetHashCode() => Dims.Aggregate(IsInteger ? 1 : 0, (hash, d) => hash * 31 + d);
}

/// <summary>A class-level stack: <c>[Input]</c> and layer attributes in order.</summary>
public sealed record FuzzStack(FuzzInput Input, IReadOnlyList<FuzzLayer> Layers)
{
    public bool Equals(FuzzStack? other) => other is not null && Input.Equals(other.Input) && Layers.SequenceEqual(other.Layers);

    public override int GetHashCode() => Layers.Aggregate(Input.GetHashCode(), (hash, l) => hash * 31 + l.GetHashCode());

    /// <summary>The attribute list, one attribute per line, as a reproducer prints it.</summary>
    public string Attributes => string.Join("\n", new[] { Input.Source }.Concat(Layers.Select(l => l.Source)).Select(a => $"[{a}]"));

    /// <summary>
    /// The source file declaring this stack as <paramref name="className"/>, and the span of each
    /// attribute (index 0: [Input], then one per layer) to map diagnostics back to layers.
    /// </summary>
    public (string Text, IReadOnlyList<(int Start, int End)> Spans) ToSource(string className)
    {
        var text = new StringBuilder("using ModelDsl;\n\nnamespace Fuzz;\n\n");
        var spans = new List<(int, int)>();
        foreach (var attribute in new[] { Input.Source }.Concat(Layers.Select(l => l.Source)))
        {
            text.Append('[');
            spans.Add((text.Length, text.Length + attribute.Length));
            text.Append(attribute).Append("]\n");
        }
        text.Append("public partial class ").Append(className).Append(";\n");
        return (text.ToString(), spans);
    }
}
