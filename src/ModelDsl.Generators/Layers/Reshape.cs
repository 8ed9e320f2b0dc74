using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class ReshapeRule : LayerRule
{
    public override string AttributeName => nameof(ReshapeAttribute);

    public override Layer Parse(LayerArguments arguments) => new ReshapeLayer(arguments.Ints("shape").ToEquatableArray());
}

/// <summary>A per-sample reshape (the batch axis stays first); one dimension may be -1.</summary>
internal sealed record ReshapeLayer(EquatableArray<int> Dims) : Layer
{
    public override string Kind => "Reshape";

    public override string KerasName => "reshape";

    public override bool AcceptsIntegers => true;

    protected override IReadOnlyList<string> Arguments() => Dims.Select(d => Number(d)).ToList();

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (Dims.Count == 0) yield return ("shape", "give the target per-sample shape, e.g. Reshape(128, 7, 7)");
        if (Dims.Count(d => d == -1) > 1) yield return ("shape", "at most one dimension can be -1");
        if (Dims.Any(d => d == 0 || d < -1)) yield return ("shape", $"dimensions must be at least 1 (or -1 for one inferred dimension), not {string.Join(", ", Dims)}");
    }

    public override ShapeResult Apply(Shape input)
    {
        var elements = input.ElementCount ?? 0;
        long known = 1;
        foreach (var dim in Dims)
            if (dim != -1) known *= dim;
        var inferred = Dims.Contains(-1);
        if (inferred ? elements % known != 0 : elements != known)
            return ShapeResult.Fail(DiagnosticDescriptors.ReshapeCountMismatch, Display,
                inferred ? $"a multiple of {known}" : known.ToString(System.Globalization.CultureInfo.InvariantCulture), input, elements);
        return ShapeResult.Ok(new Shape(Dims.Select(d => d == -1 ? elements / known : d).ToEquatableArray(), input.IsInteger));
    }

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) => [];

    public override string? InlineForward(string x, Shape input, Shape output) =>
        $"{x}.reshape(-1, {string.Join(", ", output.Dims)})";

    // A 0 in ONNX's target shape keeps that axis's size: here the batch's.
    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [OnnxCode.Node("Reshape", [OnnxCode.Input, OnnxCode.Constant(field, "shape", new long[] { 0 }.Concat(output.Dims))])];
}
