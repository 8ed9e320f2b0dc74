using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Emit;

/// <summary>
/// Writes a model's ONNX export (ModelDsl.Export.IOnnxExportable): one method per stack that writes its layers'
/// nodes (each layer's <see cref="Layers.Layer.OnnxSteps"/>), the stacks one by one, and the whole model, composed as
/// its <c>forward</c> composes the stacks.
/// </summary>
internal static class OnnxEmitter
{
    public const string Interface = "global::ModelDsl.Export.IOnnxExportable";
    private const string Graph = "global::ModelDsl.Export.IOnnxGraph";
    private const string ElementType = "global::ModelDsl.Export.OnnxElementType";

    public static void Write(CodeWriter code, ModelSpec model)
    {
        foreach (var stack in model.Stacks)
        {
            code.Line();
            WriteStack(code, stack);
        }
        code.Line();
        code.Line("/// <summary>The stacks that <see cref=\"WriteOnnxStack\"/> writes, each as a graph of its own.</summary>");
        code.Line($"public global::System.Collections.Generic.IReadOnlyList<string> OnnxStacks => [{string.Join(", ", model.Stacks.Select(s => Literal(s.Spec.Name)))}];");
        code.Line();
        var (composition, problem) = Composition(model);
        code.Line("/// <summary>Whether <see cref=\"WriteOnnx\"/> writes the whole model" + (problem is null ? "." : $": no, {Xml(problem)}.") + "</summary>");
        code.Line($"public bool HasOnnxGraph => {(problem is null ? "true" : "false")};");
        code.Line();
        code.Line("/// <summary>Writes the whole model, in inference form, with its current weights: forward's parameters become the graph's inputs, what it returns the outputs.</summary>");
        if (problem is not null)
        {
            code.Line($"public void WriteOnnx({Graph} graph) =>");
            code.Line($"    throw new global::ModelDsl.Export.OnnxExportException({Literal($"{model.Type.Name} cannot be exported as one graph: {problem}; export its stacks one by one (OnnxStacks)")});");
        }
        else
        {
            code.Line($"public void WriteOnnx({Graph} {composition!.GraphName})");
            code.Open();
            foreach (var line in composition.Lines) code.Line(line);
            code.Close();
        }
        code.Line();
        WriteStackExport(code, model);
    }

    /// <summary>The export's members of a model with errors: it has no stacks to write, and writing it throws <paramref name="message"/>.</summary>
    public static void WriteStubs(CodeWriter code, string message)
    {
        code.Line("public global::System.Collections.Generic.IReadOnlyList<string> OnnxStacks => [];");
        code.Line("public bool HasOnnxGraph => false;");
        code.Line($"public void WriteOnnx({Graph} graph) => throw new global::System.InvalidOperationException({message});");
        code.Line($"public void WriteOnnxStack({Graph} graph, string stack) => throw new global::System.InvalidOperationException({message});");
    }

    /// <summary>The method that writes one stack's layers: it takes the names of the stack's input values and returns its output's.</summary>
    private static void WriteStack(CodeWriter code, InferredStack stack)
    {
        var parameters = Parameters(stack);
        var graph = parameters.Contains("graph") ? "onnxGraph" : "graph";
        code.Line($"/// <summary>{(stack.IsClassForm ? "The layers" : $"The layers of {stack.Spec.Name}")} as ONNX nodes, in inference form: the names of its input values in, its output value's name out.</summary>");
        code.Line($"private string {MethodName(stack)}({Graph} {graph}, {string.Join(", ", parameters.Select(p => "string " + p))})");
        code.Open();
        var local = new[] { "x", "h" }.Concat(Enumerable.Range(1, parameters.Count + 1).Select(i => "h" + i)).First(name => !parameters.Contains(name) && name != graph);
        var current = parameters[0];
        foreach (var layer in stack.Layers)
        {
            // Each layer under a comment of its own: its nodes' lines are too long to share one with it.
            code.Line($"// {layer.Layer.Display}: {layer.Output}");
            var steps = layer.Layer.OnnxSteps(layer.Input, layer.Output, layer.Field);
            if (steps.Count == 0) code.Line("// (the identity in inference: no node)");
            foreach (var step in steps)
            {
                code.Line((current == local ? $"{local} = " : $"var {local} = ") + step.Replace(OnnxCode.Graph, graph).Replace(OnnxCode.Input, current) + ";");
                current = local;
            }
        }
        code.Line($"return {current};");
        code.Close();
    }

    /// <summary>The stack method's parameters: its input, then one per [Multiply]/[Add] operand, in layer order.</summary>
    private static List<string> Parameters(InferredStack stack) =>
        [stack.Spec.Method?.ParameterName ?? "input", .. stack.Layers.Select(l => l.Layer.OperandParameter).OfType<string>()];

    private static string MethodName(InferredStack stack) => stack.IsClassForm ? "ForwardOnnx" : stack.Spec.Name + "Onnx";

    private static string InputShapeProperty(InferredStack stack) => stack.IsClassForm ? "InputShape" : stack.Spec.Name + "InputShape";

    private static string OutputShapeProperty(InferredStack stack) => stack.IsClassForm ? "OutputShape" : stack.Spec.Name + "OutputShape";

    private static string TypeOf(Shape shape) => $"{ElementType}.{(shape.IsInteger ? "Int64" : "Float")}";

    /// <summary>The graph inputs (name, element type, shape property) of a stack written on its own.</summary>
    private static IEnumerable<(string Name, Shape Shape, string ShapeProperty)> Inputs(InferredStack stack, ModelSpec model)
    {
        yield return (Unescaped(Parameters(stack)[0]), stack.Input, InputShapeProperty(stack));
        foreach (var layer in stack.Layers.Where(l => l.Layer.OperandParameter is not null))
        {
            var operand = model.Stacks.First(s => s.Spec.Name == layer.Layer.OperandStack);
            yield return (Unescaped(layer.Layer.OperandParameter!), operand.Output, OutputShapeProperty(operand));
        }
    }

    private static void WriteStackExport(CodeWriter code, ModelSpec model)
    {
        code.Line("/// <summary>Writes one stack of <see cref=\"OnnxStacks\"/> as a graph: its parameters become the graph's inputs, its result the output named after it.</summary>");
        code.Line($"public void WriteOnnxStack({Graph} graph, string stack)");
        code.Open();
        code.Line("switch (stack)");
        code.Open();
        foreach (var stack in model.Stacks)
        {
            var inputs = Inputs(stack, model).Select(i => $"graph.Input({Literal(i.Name)}, {TypeOf(i.Shape)}, {i.ShapeProperty})");
            code.Line($"case {Literal(stack.Spec.Name)}:");
            code.Line($"    graph.Output({Literal(stack.Spec.Name)}, {MethodName(stack)}(graph, {string.Join(", ", inputs)}), {TypeOf(stack.Output)}, {OutputShapeProperty(stack)});");
            code.Line("    break;");
        }
        code.Line("default:");
        code.Line($"    throw new global::System.ArgumentException({Literal($"no stack of {model.Type.Name} is named '")} + stack + {Literal($"'; its stacks: {string.Join(", ", model.Stacks.Select(s => s.Spec.Name))}")}, nameof(stack));");
        code.Close();
        code.Close();
    }

    /// <summary>The body of WriteOnnx and the graph's parameter name, or why the model has no composed graph.</summary>
    private static (ComposedGraph? Graph, string? Problem) Composition(ModelSpec model)
    {
        if (model.Stacks.FirstOrDefault(s => s.IsClassForm) is { } classStack)
        {
            var input = Unescaped(Parameters(classStack)[0]);
            return (new ComposedGraph("graph",
                [$"graph.Output(\"output\", ForwardOnnx(graph, graph.Input({Literal(input)}, {TypeOf(classStack.Input)}, InputShape)), {TypeOf(classStack.Output)}, OutputShape);"]), null);
        }
        if (model.Forward is not { } forward) return (null, "it has no forward of its own that calls its stacks");
        if (forward.Unsupported is { } unsupported) return (null, $"its forward does more than call stacks ({unsupported})");
        var names = new HashSet<string>(forward.Parameters.Concat(forward.Locals.Select(l => l.Name)));
        var graph = names.Contains("graph") ? "onnxGraph" : "graph";
        var stacks = model.Stacks.ToDictionary(s => s.Spec.Name);
        var localShapes = new Dictionary<string, (Shape Shape, string Property)>();
        var parameterInputs = new Dictionary<string, (Shape Shape, string Property)>();
        string? problem = null;

        // Finds which stack input each parameter feeds (its shape), and the shape each call makes.
        (Shape Shape, string Property)? Check(ForwardExpression expression)
        {
            switch (expression.Kind)
            {
                case ForwardExpressionKind.StackCall:
                    if (!stacks.TryGetValue(expression.Name, out var stack) || Parameters(stack).Count != expression.Items.Count)
                    {
                        problem ??= $"it calls {expression.Name}, which is no stack of {model.Type.Name} taking {expression.Items.Count} value(s)";
                        return null;
                    }
                    var inputs = Inputs(stack, model).ToList();
                    for (var i = 0; i < expression.Items.Count; i++)
                    {
                        var item = expression.Items[i];
                        if (item.Kind == ForwardExpressionKind.Variable && forward.Parameters.Contains(item.Name) && !parameterInputs.ContainsKey(item.Name))
                            parameterInputs[item.Name] = (inputs[i].Shape, inputs[i].ShapeProperty);
                        else Check(item);
                    }
                    return (stack.Output, OutputShapeProperty(stack));
                case ForwardExpressionKind.Variable:
                    if (localShapes.TryGetValue(expression.Name, out var local)) return local;
                    if (!parameterInputs.ContainsKey(expression.Name)) problem ??= $"it uses {expression.Name} other than as a stack's input";
                    return null;
                default:
                    problem ??= "it makes a tuple other than the one it returns";
                    return null;
            }
        }

        foreach (var local in forward.Locals)
            if (Check(local.Value) is { } shape) localShapes[local.Name] = shape;
        var results = forward.Result!.Kind == ForwardExpressionKind.Tuple ? forward.Result.Items.ToList() : [forward.Result];
        var outputs = results.Select(Check).ToList();
        if (forward.Parameters.FirstOrDefault(p => !parameterInputs.ContainsKey(p)) is { } unused)
            problem ??= $"its parameter {unused} is no stack's input";
        if (problem is not null) return (null, problem);

        string Code(ForwardExpression expression) => expression.Kind == ForwardExpressionKind.StackCall
            ? $"{MethodName(stacks[expression.Name])}({graph}, {string.Join(", ", expression.Items.Select(Code))})"
            : Escaped(expression.Name);

        var lines = new List<string>();
        foreach (var parameter in forward.Parameters)
        {
            var (shape, property) = parameterInputs[parameter];
            lines.Add($"var {Escaped(parameter)} = {graph}.Input({Literal(parameter)}, {TypeOf(shape)}, {property});");
        }
        foreach (var local in forward.Locals) lines.Add($"var {Escaped(local.Name)} = {Code(local.Value)};");
        for (var i = 0; i < results.Count; i++)
        {
            var (shape, property) = outputs[i]!.Value;
            lines.Add($"{graph}.Output({Literal(forward.OutputNames[i])}, {Code(results[i])}, {TypeOf(shape)}, {property});");
        }
        return (new ComposedGraph(graph, lines), null);
    }

    private sealed record ComposedGraph(string GraphName, IReadOnlyList<string> Lines);

    /// <summary>A name as code writes it: <c>@class</c> for a keyword.</summary>
    private static string Escaped(string name) => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    private static string Unescaped(string name) => name.TrimStart('@');

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
}
