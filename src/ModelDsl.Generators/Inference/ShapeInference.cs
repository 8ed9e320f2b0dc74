using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Layers;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Inference;

/// <summary>Walks a stack layer by layer: shape in → shape out, or the diagnostic of the first layer that cannot take its input.</summary>
internal static class ShapeInference
{
    /// <summary>One step: rank, element type and argument checks, the layer's rule, then dimension and size checks.</summary>
    /// <param name="rankHint">Why the rank is what it is (e.g. " — Flatten before it turned …"), for rank errors.</param>
    public static ShapeResult Step(Layer layer, Shape input, string rankHint = "")
    {
        if (layer.Problems().Any())
            return ShapeResult.Fail(DiagnosticDescriptors.InvalidArgument); // reported where it was parsed
        if (layer.RequiredRank(input.Rank) is { } required)
            return ShapeResult.Fail(DiagnosticDescriptors.WrongRank, layer.Display, required, input, rankHint);
        if (input.IsInteger && !layer.AcceptsIntegers)
            return ShapeResult.Fail(DiagnosticDescriptors.IntegersNeedEmbedding, layer.Display, input);
        if (!input.IsInteger && layer.RequiresIntegers)
            return ShapeResult.Fail(DiagnosticDescriptors.EmbeddingNeedsIntegers, layer.Display, input);
        try
        {
            var result = layer.Apply(input);
            if (result.Output is not { } output) return result;
            if (output.Dims.Any(d => d < 1))
                return ShapeResult.Fail(DiagnosticDescriptors.DimensionNotPositive, layer.Display, input, output);
            if (output.ElementCount is null)
                return ShapeResult.Fail(DiagnosticDescriptors.ElementCountOverflow, layer.Display, output);
            return result;
        }
        catch (OverflowException)
        {
            return ShapeResult.Fail(DiagnosticDescriptors.ElementCountOverflow, layer.Display, "a dimension beyond 2^63");
        }
    }

    /// <summary>The shape at the end of <paramref name="layers"/>, or null if any layer rejects its input.</summary>
    public static Shape? Run(IEnumerable<Layer> layers, Shape input)
    {
        Shape? shape = input;
        foreach (var layer in layers)
        {
            shape = Step(layer, shape).Output;
            if (shape is null) return null;
        }
        return shape;
    }

    /// <summary>
    /// Which single-argument changes of which layer make the stack end at <paramref name="target"/>:
    /// the first layer (in order) that has any, with its changes; null when none does.
    /// </summary>
    public static (int Index, IReadOnlyList<LayerVariant> Fixes)? FindFix(IReadOnlyList<Layer> layers, Shape input, Shape target)
    {
        var shapes = new List<Shape> { input };
        foreach (var layer in layers)
            shapes.Add(Step(layer, shapes[shapes.Count - 1]).Output!);
        for (var i = 0; i < layers.Count; i++)
        {
            var fixes = new List<LayerVariant>();
            try
            {
                foreach (var variant in layers[i].Variants(target))
                    if (!fixes.Any(f => f.Change == variant.Change)
                        && Run(new[] { variant.Layer }.Concat(layers.Skip(i + 1)), shapes[i]) is { } end && SameDims(end, target))
                        fixes.Add(variant);
            }
            catch (OverflowException)
            {
                // A target too large for a layer argument offers no fix at this layer.
            }
            if (fixes.Count > 0) return (i, fixes);
        }
        return null;
    }

    public static bool SameDims(Shape a, Shape b) => a.Dims.Equals(b.Dims);
}
