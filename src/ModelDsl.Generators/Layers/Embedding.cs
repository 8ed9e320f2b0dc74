using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal sealed class EmbeddingRule : LayerRule
{
    public override string AttributeName => nameof(EmbeddingAttribute);

    public override Layer Parse(LayerArguments arguments) => new EmbeddingLayer(arguments.Int("count"), arguments.Int("dim")) { Init = arguments.Init() };
}

/// <summary>PyTorch's Embedding: integer indices of shape S → float vectors of shape S×dim.</summary>
internal sealed record EmbeddingLayer(int Count, int Dim) : WeightedLayer
{
    public override string Kind => "Embedding";

    public override string KerasName => "embedding";

    public override bool AcceptsIntegers => true;

    public override bool RequiresIntegers => true;

    protected override IReadOnlyList<string> ArgumentsBeforeInit() => [Number(Count), Number(Dim)];

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        foreach (var problem in base.Problems()) yield return problem;
        if (Count < 1) yield return ("count", $"count must be at least 1, not {Count}");
        if (Dim < 1) yield return ("dim", $"dim must be at least 1, not {Dim}");
    }

    public override ShapeResult Apply(Shape input) =>
        ShapeResult.Ok(new Shape(input.Dims.Concat(new long[] { Dim }).ToEquatableArray()));

    public override long Parameters(Shape input) => (long)Count * Dim;

    protected override (long In, long Out) Fans(Shape input) => (Count, Dim);

    protected override bool HasBias => false;

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [Initialized(new ModuleCode(field, "global::TorchSharp.Modules.Embedding", $"global::TorchSharp.torch.nn.Embedding(num_embeddings: {Count}, embedding_dims: {Dim})"), input)];

    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [OnnxCode.Node("Gather", [OnnxCode.Weight(field, "weight"), OnnxCode.Input])];

    public override IEnumerable<LayerVariant> Variants(Shape target)
    {
        if (target.Rank >= 1 && target.Last != Dim) yield return new($"dim: {target.Last}", this with { Dim = (int)target.Last });
    }
}
