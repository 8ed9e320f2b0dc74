using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class RepeatVectorRule : LayerRule
{
    public override string AttributeName => nameof(RepeatVectorAttribute);

    public override Layer Parse(LayerArguments arguments) => new RepeatVectorLayer(arguments.Int("count"));
}

/// <summary>Keras' RepeatVector: a per-sample vector F repeated into a sequence count×F.</summary>
internal sealed record RepeatVectorLayer(int Count) : Layer
{
    public override string Kind => "RepeatVector";

    public override string KerasName => "repeat_vector";

    protected override IReadOnlyList<string> Arguments() => [Number(Count)];

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (Count < 1) yield return ("count", $"count must be at least 1, not {Count}");
    }

    public override string? RequiredRank(int rank) => rank == 1 ? null : "a vector (F) input";

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(Shape.Of(Count, input.Last));

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) => [];

    // A view: every step reads the same values, as nothing downstream writes in place.
    public override string? InlineForward(string x, Shape input, Shape output) => $"{x}.unsqueeze(1).expand(-1, {Count}, -1)";

    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [OnnxCode.Node("Unsqueeze", [OnnxCode.Input, OnnxCode.Constant(field, "axes", [1])]),
         OnnxCode.Node("Expand", [OnnxCode.Input, OnnxCode.Constant(field, "shape", [1, Count, 1])])];

    public override IEnumerable<LayerVariant> Variants(Shape target)
    {
        if (target.Rank >= 2 && target[0] != Count) yield return new($"count {target[0]}", this with { Count = (int)target[0] });
    }
}
