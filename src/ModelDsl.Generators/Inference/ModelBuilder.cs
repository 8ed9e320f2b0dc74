using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Layers;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Inference;

/// <summary>The checked model of one type and every diagnostic found on the way.</summary>
internal sealed record ModelResult(ModelSpec? Model, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>Joins the stacks of one type, resolves [From] edges and infers every shape.</summary>
internal static class ModelBuilder
{
    public static ImmutableArray<ModelResult> BuildAll(ImmutableArray<StackParse> parses) =>
        parses.GroupBy(p => p.Type.FullName)
            .OrderBy(g => g.Key, System.StringComparer.Ordinal)
            .Select(g => SafeBuild(g.OrderBy(p => p.Locations.Declaration?.FilePath, System.StringComparer.Ordinal).ThenBy(p => p.Order).ToList()))
            .ToImmutableArray();

    /// <summary>The generator must never throw: an internal failure becomes MDSL0999 on the model.</summary>
    private static ModelResult SafeBuild(IReadOnlyList<StackParse> parses)
    {
        try
        {
            return Build(parses);
        }
        catch (System.Exception exception)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, parses[0].Locations.Declaration,
                parses[0].Type.Name, exception.GetType().Name + ": " + exception.Message);
            return new ModelResult(null, new[] { diagnostic }.ToEquatableArray());
        }
    }

    public static ModelResult Build(IReadOnlyList<StackParse> parses)
    {
        var type = parses[0].Type;
        var diagnostics = new List<DiagnosticInfo>(parses.SelectMany(p => p.Diagnostics));
        var hasErrors = parses.Any(p => p.Stack is null);
        // A type that cannot take a generated partial (not partial, generic, …) gets no code at all;
        // one that cannot take the generated constructor (wrong base, its own constructor) gets stack stubs only.
        var typeUsable = parses.All(p => p.Usability.Extensible);
        var canConstruct = parses.All(p => p.Usability.Constructible);

        var stacks = new Dictionary<string, StackParse>();
        // Overloads of one method name: the first is the stack, the others still get stubs (no CS8795 beside MDSL0025).
        var duplicates = new List<StackSpec>();
        foreach (var parse in parses.Where(p => p.Stack is not null))
        {
            if (stacks.ContainsKey(parse.Stack!.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateStack, parse.Locations.Declaration, type.Name, parse.Stack.Name));
                duplicates.Add(parse.Stack);
                hasErrors = true;
                continue;
            }
            stacks.Add(parse.Stack.Name, parse);
        }

        var inferred = new Dictionary<string, InferredStack?>();
        var visiting = new List<string>();
        long parameters = 0;

        InferredStack? Resolve(string name)
        {
            if (inferred.TryGetValue(name, out var done)) return done;
            var parse = stacks[name];
            var spec = parse.Stack!;
            visiting.Add(name);
            var input = spec.From is { } from ? OutputOf(from, name, "From", parse.Locations.From) : spec.Input;
            var layers = input is null ? null : BindOperands(spec, parse.Locations);
            visiting.Remove(name);
            var result = layers is null ? null : Infer(spec with { Layers = layers.Value }, parse.Locations, input!, type, diagnostics, ref parameters);
            return inferred[name] = result;
        }

        // The output shape of the stack that 'reader' reads through [attribute], or null once that is reported or failed.
        Shape? OutputOf(string source, string reader, string attribute, LocationInfo? location)
        {
            if (!stacks.ContainsKey(source))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownStack, location, attribute, source, type.Name,
                    stacks.Count > 1 ? string.Join(", ", stacks.Keys.Where(k => k != reader)) : "none besides this one"));
                return null;
            }
            if (visiting.Contains(source))
            {
                // visiting holds the stacks waiting for their inputs; data flows the other way, back to the reader.
                var cycle = visiting.Skip(visiting.IndexOf(source)).Reverse().Append(reader);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StackCycle, location, reader, attribute, string.Join(" → ", cycle)));
                return null;
            }
            return Resolve(source)?.Output;
        }

        // The stack's layers with each [Multiply]/[Add] bound to its operand's shape, or null when an operand fails.
        EquatableArray<Layer>? BindOperands(StackSpec spec, StackLocations locations)
        {
            var bound = new List<Layer>();
            for (var i = 0; i < spec.Layers.Count; i++)
            {
                var layer = spec.Layers[i];
                if (layer.OperandStack is not { } source)
                {
                    bound.Add(layer);
                    continue;
                }
                if (OutputOf(source, spec.Name, layer.Kind, locations.Layers[i]) is not { } operand) return null;
                bound.Add(layer.WithOperandShape(operand, spec.Name));
            }
            return bound.ToEquatableArray();
        }

        foreach (var name in stacks.Keys) Resolve(name);
        hasErrors |= inferred.Values.Any(s => s is null);

        var ordered = stacks.Keys.Where(n => inferred[n] is not null).Select(n => inferred[n]!).ToEquatableArray();
        // Stacks rejected while parsing still get stubs (once: a stack with both [Input] and [From] is parsed twice).
        var stubs = parses.Select(p => p.Stub).OfType<StackSpec>().Where(s => !stacks.ContainsKey(s.Name)).Distinct();
        var failed = stacks.Keys.Where(n => inferred[n] is null).Select(n => stacks[n].Stack!).Concat(duplicates).Concat(stubs).ToEquatableArray();
        var distinct = diagnostics.Distinct().ToEquatableArray();
        var model = typeUsable && (stacks.Count > 0 || failed.Count > 0) ? new ModelSpec(type, ordered, failed, hasErrors, canConstruct) : null;
        return new ModelResult(model, distinct);
    }

    /// <param name="parameters">Parameters of the model so far; its total must fit a long, as ParameterCount does.</param>
    private static InferredStack? Infer(StackSpec spec, StackLocations locations, Shape input, TypeSpec type, List<DiagnosticInfo> diagnostics, ref long parameters)
    {
        var layers = new List<InferredLayer>();
        var shape = input;
        var rankHint = "";
        var prefix = spec.Method is null ? "" : SnakeCase(spec.Name) + "_";
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var result = ShapeInference.Step(layer, shape, rankHint);
            if (result.Output is not { } output)
            {
                if (result.Arguments.Length > 0)
                    diagnostics.Add(DiagnosticInfo.Create(result.Error!, locations.Layers[i], result.Arguments));
                return null;
            }
            if (output.Rank != shape.Rank)
                rankHint = $" ({layer.Display} before it turned {shape} into {output})";
            long layerParameters;
            try
            {
                layerParameters = layer.Parameters(shape);
                parameters = checked(parameters + layerParameters);
            }
            catch (System.OverflowException)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ElementCountOverflow, locations.Layers[i], layer.Display, "more than 2^63 trainable parameters"));
                return null;
            }
            layers.Add(new InferredLayer(layer, $"{prefix}{layer.KerasName}_{i}", shape, output, layerParameters));
            shape = output;
        }

        if (spec.Output is { } promised && !ShapeInference.SameDims(promised, shape))
        {
            var chain = Chain(input, layers);
            var fix = ShapeInference.FindFix(spec.Layers.ToList(), input, promised);
            if (fix is { } found)
            {
                var culprit = layers[found.Index];
                // The replacement attributes travel as properties, for the IDE's code fix.
                var replacements = found.Fixes.Select((f, n) => new DiagnosticProperty(DiagnosticPropertyKeys.Replacement + n, f.Layer.Display));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputMismatchWithFix, locations.Layers[found.Index],
                    culprit.Layer.Display, culprit.Input, culprit.Output, spec.Name, shape, promised, chain, Alternatives(found.Fixes.Select(f => f.Change).ToList()))
                    with { Properties = replacements.ToEquatableArray() });
            }
            else
            {
                var computed = string.Join(", ", shape.Dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputMismatch, locations.Output, spec.Name, shape, promised, chain, computed)
                    with { Properties = new[] { new DiagnosticProperty(DiagnosticPropertyKeys.ComputedOutput, computed) }.ToEquatableArray() });
            }
            return null;
        }
        return new InferredStack(spec, input, shape, layers.ToEquatableArray());
    }

    /// <summary>The shapes a stack passes through, each change once: 128×7×7 → 128×14×14 → 1×28×28.</summary>
    private static string Chain(Shape input, IEnumerable<InferredLayer> layers)
    {
        var shapes = new List<Shape> { input };
        foreach (var layer in layers)
            if (!layer.Output.Equals(shapes[shapes.Count - 1])) shapes.Add(layer.Output);
        return string.Join(" → ", shapes);
    }

    private static string Alternatives(IReadOnlyList<string> changes) =>
        changes.Count == 1 ? changes[0] : string.Join(", ", changes.Take(changes.Count - 1)) + " or " + changes[changes.Count - 1];

    /// <summary>Keras-style snake_case of a stack name: ClassLogits → class_logits.</summary>
    public static string SnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) builder.Append('_');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
