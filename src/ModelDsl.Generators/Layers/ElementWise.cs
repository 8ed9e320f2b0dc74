using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

internal enum ElementWiseOperation
{
    Multiply,
    Add,
}

internal abstract class ElementWiseRule(ElementWiseOperation operation, string attributeName) : LayerRule
{
    public override string AttributeName => attributeName;

    public override Layer Parse(LayerArguments arguments) => new ElementWiseLayer(operation, arguments.String("stack") ?? "");
}

internal sealed class MultiplyRule() : ElementWiseRule(ElementWiseOperation.Multiply, nameof(MultiplyAttribute));

internal sealed class AddRule() : ElementWiseRule(ElementWiseOperation.Add, nameof(AddAttribute));

/// <summary>
/// Combines the stack's tensor element-wise with another stack's output, which arrives as the stack method's next
/// Tensor parameter (the caller passes it, as it passes a [From] stack's input). Shapes broadcast as in PyTorch,
/// per sample: aligned at the last axis, each pair of sizes equal or one of them 1.
/// </summary>
/// <param name="Stack">The stack whose output is the other operand.</param>
internal sealed record ElementWiseLayer(ElementWiseOperation Operation, string Stack) : Layer
{
    /// <summary>The stack method's parameter that holds the operand (set by the parser).</summary>
    public string Operand { get; init; } = "";

    /// <summary>The operand's per-sample shape, and the stack this layer belongs to (set once the other stack is inferred).</summary>
    public Shape? OperandShape { get; init; }

    public string Owner { get; init; } = "";

    public override string Kind => Operation.ToString();

    public override string? OperandStack => Stack;

    public override string? OperandParameter => Operand;

    public override Layer WithOperandParameter(string parameter) => this with { Operand = parameter };

    public override Layer WithOperandShape(Shape operand, string owner) => this with { OperandShape = operand, Owner = owner };

    public override string KerasName => Operation == ElementWiseOperation.Multiply ? "multiply" : "add";

    protected override IReadOnlyList<string> Arguments() =>
        [SyntaxFacts.IsValidIdentifier(Stack) ? $"nameof({Stack})" : SymbolDisplay.FormatLiteral(Stack, quote: true)];

    public override ShapeResult Apply(Shape input)
    {
        var operand = OperandShape ?? throw new InvalidOperationException($"{Display} was not bound to the output of '{Stack}'");
        if (operand.IsInteger)
            return ShapeResult.Fail(DiagnosticDescriptors.IntegersNeedEmbedding, Display, operand);
        var rank = Math.Max(input.Rank, operand.Rank);
        var dims = new long[rank];
        for (var fromEnd = 1; fromEnd <= rank; fromEnd++)
        {
            var mine = fromEnd <= input.Rank ? input[input.Rank - fromEnd] : 1;
            var theirs = fromEnd <= operand.Rank ? operand[operand.Rank - fromEnd] : 1;
            if (mine != theirs && mine != 1 && theirs != 1)
                return ShapeResult.Fail(DiagnosticDescriptors.OperandsDoNotBroadcast, Display, input, Owner, operand, Stack, -fromEnd, mine, theirs);
            dims[rank - fromEnd] = mine == 1 ? theirs : mine;
        }
        return ShapeResult.Ok(Shape.Of(dims));
    }

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) => [];

    public override string? InlineForward(string x, Shape input, Shape output)
    {
        var operand = OperandShape!;
        var left = input.Rank < operand.Rank ? WithLeadingOnes(x, input, operand.Rank) : x;
        var right = operand.Rank < input.Rank ? WithLeadingOnes(Operand, operand, input.Rank) : Operand;
        return $"{left} {(Operation == ElementWiseOperation.Multiply ? "*" : "+")} {right}";
    }

    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field)
    {
        var operand = OperandShape!;
        var left = input.Rank < operand.Rank ? OnnxCode.WithLeadingOnes(OnnxCode.Input, field, "axes", operand.Rank - input.Rank) : OnnxCode.Input;
        var right = operand.Rank < input.Rank ? OnnxCode.WithLeadingOnes(Operand, field, "axes", input.Rank - operand.Rank) : Operand;
        return [OnnxCode.Node(Operation == ElementWiseOperation.Multiply ? "Mul" : "Add", [left, right])];
    }

    /// <summary>
    /// The lower-rank operand gets size-1 axes after the batch axis: PyTorch, aligning whole tensors at their last
    /// axis, would otherwise pair the batch axis with a sample axis.
    /// </summary>
    private static string WithLeadingOnes(string name, Shape shape, int rank) =>
        $"{name}.reshape(-1, {string.Join(", ", Enumerable.Repeat(1L, rank - shape.Rank).Concat(shape.Dims))})";
}
