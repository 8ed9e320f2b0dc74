using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

/// <summary>An integer argument of a custom layer attribute, usable by name in its shape rule.</summary>
internal sealed record NamedValue(string Name, long Value);

/// <summary>
/// A user-defined layer: an attribute deriving from CustomLayerAttribute with a [ShapeRule]. The rule's
/// expressions give its output shape and parameter count; its module is built at run time by the
/// attribute's own CreateModule, called on a copy of the attribute with the same arguments.
/// </summary>
/// <param name="Construction">C# that recreates the attribute, e.g. <c>new global::App.ScaleAttribute(2)</c>.</param>
/// <param name="RuleProblem">What is wrong with the [ShapeRule], or null.</param>
internal sealed record CustomLayer(
    string Name,
    string Construction,
    EquatableArray<string> ArgumentTexts,
    EquatableArray<string> InputAxes,
    EquatableArray<string> OutputAxes,
    string ParametersRule,
    EquatableArray<NamedValue> Values,
    string? RuleProblem) : Layer
{
    public override string Kind => Name;

    public override string KerasName => Inference.ModelBuilder.SnakeCase(Name);

    protected override IReadOnlyList<string> Arguments() => ArgumentTexts;

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (RuleProblem is not null) yield return ("", RuleProblem);
    }

    public override string? RequiredRank(int rank) =>
        rank == InputAxes.Count ? null : $"{InputAxes.Count} {(InputAxes.Count == 1 ? "axis" : "axes")} ({string.Join("×", InputAxes)}) per its [ShapeRule]";

    public override ShapeResult Apply(Shape input)
    {
        var values = Values.ToDictionary(v => v.Name, v => v.Value);
        for (var axis = 0; axis < InputAxes.Count; axis++)
        {
            if (long.TryParse(InputAxes[axis], NumberStyles.None, CultureInfo.InvariantCulture, out var required))
            {
                if (input[axis] != required)
                    return ShapeResult.Fail(DiagnosticDescriptors.CustomLayerInputMismatch, Display, axis, required, input);
                continue;
            }
            values[InputAxes[axis]] = input[axis];
        }
        try
        {
            var output = Shape.Of(OutputAxes.Select(e => ShapeExpression.Evaluate(e, values)).ToArray());
            ShapeExpression.Evaluate(ParametersRule, values); // so Parameters() cannot fail later
            return ShapeResult.Ok(output);
        }
        catch (DivideByZeroException)
        {
            return ShapeResult.Fail(DiagnosticDescriptors.CustomLayerRuleFails, Display, input, "a division by zero");
        }
    }

    public override long Parameters(Shape input)
    {
        var values = Values.ToDictionary(v => v.Name, v => v.Value);
        for (var axis = 0; axis < InputAxes.Count; axis++) values[InputAxes[axis]] = input[axis];
        return ShapeExpression.Evaluate(ParametersRule, values);
    }

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>",
            $"{Construction}.CreateModule(new long[] {{ {string.Join(", ", input.Dims)} }})")];

    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [$"global::ModelDsl.Export.OnnxLayers.Custom({OnnxCode.Graph}, {field}, \"{Name}\", {OnnxCode.Input}, \"{field}\")"];

    /// <summary>A custom layer from its attribute, or null when the attribute is not a CustomLayerAttribute.</summary>
    public static CustomLayer? TryParse(AttributeData attribute, KnownSymbols known)
    {
        var type = attribute.AttributeClass!;
        if (!KnownSymbols.DerivesFrom(type, known.CustomLayerAttribute)) return null;
        var name = LayerRule.KindOf(type.Name);
        var arguments = attribute.ConstructorArguments.Select(a => a.ToCSharpString()).ToList();
        var named = attribute.NamedArguments.Select(n => $"{n.Key} = {n.Value.ToCSharpString()}").ToList();
        var construction = $"new {type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}({string.Join(", ", arguments)})"
            + (named.Count > 0 ? $" {{ {string.Join(", ", named)} }}" : "");
        var values = attribute.AttributeConstructor!.Parameters.Zip(attribute.ConstructorArguments, (p, a) => (p.Name, a.Value))
            .Concat(attribute.NamedArguments.Select(n => (Name: n.Key, n.Value.Value)))
            .Where(v => v.Value is int or long)
            .Select(v => new NamedValue(v.Name, Convert.ToInt64(v.Value, CultureInfo.InvariantCulture)))
            .ToList();

        var rule = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.ShapeRuleAttribute));
        var input = rule?.ConstructorArguments.ElementAtOrDefault(0).Value as string ?? "";
        var output = rule?.ConstructorArguments.ElementAtOrDefault(1).Value as string ?? "";
        var parameters = rule?.NamedArguments.FirstOrDefault(n => n.Key == nameof(ShapeRuleAttribute.Parameters)).Value.Value as string ?? "0";
        var inputAxes = ShapeExpression.Split(input);
        var outputAxes = ShapeExpression.Split(output);
        var problem = rule is null ? $"{type.Name} derives from CustomLayerAttribute but has no [ShapeRule(input, output)]" : CheckRule(inputAxes, outputAxes, parameters, values);
        return new CustomLayer(name, construction, arguments.Select(a => a).ToEquatableArray(), inputAxes.ToEquatableArray(),
            outputAxes.ToEquatableArray(), parameters, values.ToEquatableArray(), problem);
    }

    private static string? CheckRule(string[] inputAxes, string[] outputAxes, string parameters, IReadOnlyList<NamedValue> values)
    {
        var names = new HashSet<string>(values.Select(v => v.Name));
        foreach (var axis in inputAxes)
        {
            var isNumber = long.TryParse(axis, NumberStyles.None, CultureInfo.InvariantCulture, out _);
            if (!isNumber && (axis.Length == 0 || !(char.IsLetter(axis[0]) || axis[0] == '_') || !axis.All(c => char.IsLetterOrDigit(c) || c == '_')))
                return $"[ShapeRule] input axis \"{axis}\" must be a name or a number";
            if (!isNumber && !names.Add(axis))
                return $"[ShapeRule] input axis name \"{axis}\" is used twice (or clashes with an argument)";
        }
        if (outputAxes.Length == 0) return "[ShapeRule] output lists no axes";
        foreach (var expression in outputAxes.Append(parameters))
            if (ShapeExpression.Check(expression, names) is { } problem)
                return "[ShapeRule] " + problem;
        return null;
    }
}
