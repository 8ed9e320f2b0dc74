using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Emit;

/// <summary>A Keras-style summary: one row per layer with its output shape and parameters, then totals.</summary>
internal static class SummaryTable
{
    public static string Render(ModelSpec model)
    {
        var rows = new List<(string Layer, string Shape, string Parameters)>();
        foreach (var stack in model.Stacks)
        {
            var origin = stack.Spec.From is { } from ? $"from {from}" : "Input";
            var name = stack.IsClassForm ? "input" : Inference.ModelBuilder.SnakeCase(stack.Spec.Name);
            rows.Add(($"{name} ({origin})", stack.Input.ToString(), "0"));
            foreach (var layer in stack.Layers)
                rows.Add(($"{layer.Field} ({layer.Layer.Kind})", layer.Output.ToString(), ModelEmitter.Grouped(layer.Parameters)));
        }
        var layerWidth = System.Math.Max("Layer (type)".Length, rows.Max(r => r.Layer.Length)) + 2;
        var shapeWidth = System.Math.Max("Output shape".Length, rows.Max(r => r.Shape.Length)) + 2;
        var paramWidth = System.Math.Max("Param #".Length, rows.Max(r => r.Parameters.Length));
        var width = layerWidth + shapeWidth + paramWidth;

        var lines = new List<string>
        {
            $"Model: \"{model.Type.Name}\"",
            new string('─', width),
            "Layer (type)".PadRight(layerWidth) + "Output shape".PadRight(shapeWidth) + "Param #".PadLeft(paramWidth),
            new string('═', width),
        };
        lines.AddRange(rows.Select(r => r.Layer.PadRight(layerWidth) + r.Shape.PadRight(shapeWidth) + r.Parameters.PadLeft(paramWidth)));
        lines.Add(new string('═', width));
        lines.Add($"Total params: {ModelEmitter.Grouped(model.ParameterCount)}");
        var buffers = model.Stacks.SelectMany(s => s.Layers).Sum(l => l.Layer.Buffers(l.Input));
        if (buffers > 0) lines.Add($"Buffer values (e.g. running statistics, not trained): {ModelEmitter.Grouped(buffers)}");
        lines.Add(new string('─', width));
        return string.Join("\n", lines);
    }
}
