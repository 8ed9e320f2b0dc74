namespace ModelDsl.Generators.Model;

/// <summary>What a <c>forward</c> expression does, as far as an ONNX graph can follow it.</summary>
internal enum ForwardExpressionKind
{
    /// <summary>A call of a stack method: <see cref="ForwardExpression.Name"/> with <see cref="ForwardExpression.Items"/> as arguments.</summary>
    StackCall,
    /// <summary>A parameter of <c>forward</c> or one of its locals.</summary>
    Variable,
    /// <summary>A tuple of values, as a <c>forward</c> with several outputs returns.</summary>
    Tuple,
}

/// <summary>One expression of a <c>forward</c> that only calls stacks.</summary>
internal sealed record ForwardExpression(ForwardExpressionKind Kind, string Name, EquatableArray<ForwardExpression> Items);

/// <summary>A local of <c>forward</c>: <c>var Name = Value;</c>.</summary>
internal sealed record ForwardLocal(string Name, ForwardExpression Value);

/// <summary>
/// The user's <c>forward</c> override of a model type, read from its syntax: its parameters, locals and result when it
/// only calls stacks (so the generated ONNX export can compose the stacks' graphs as it does), or why not.
/// </summary>
/// <param name="TypeFullName">The model type, as <see cref="TypeSpec.FullName"/> names it.</param>
/// <param name="OutputNames">The graph outputs' names: "output", or a returned tuple's element names.</param>
/// <param name="Unsupported">What the body does besides calling stacks, or null when it does nothing else.</param>
internal sealed record ForwardSpec(
    string TypeFullName,
    EquatableArray<string> Parameters,
    EquatableArray<ForwardLocal> Locals,
    ForwardExpression? Result,
    EquatableArray<string> OutputNames,
    string? Unsupported);
