namespace ModelDsl;

/// <summary>
/// Multiplies the stack's tensor element-wise by the output of another stack (Keras' <c>Multiply</c> layer). The
/// stack is a partial method with one more Tensor parameter per <c>[Multiply]</c>/<c>[Add]</c>, in order; its caller
/// passes that stack's output there, as for <see cref="FromAttribute"/>. Per-sample shapes must be equal or broadcast
/// (aligned at the last axis, each pair of sizes equal or one of them 1); the batch axis stays aligned.
/// </summary>
/// <example><code>
/// [Input(100)] [Multiply(nameof(ClassEmbedding))] [Dense(1024)]
/// private partial Tensor Image(Tensor latent, Tensor classEmbedding);
/// </code></example>
public sealed class MultiplyAttribute(string stack) : LayerAttribute
{
    /// <summary>Name of the stack whose output is the other factor; write it with <c>nameof</c>.</summary>
    public string Stack { get; } = stack;
}

/// <summary>
/// Adds the output of another stack element-wise (Keras' <c>Add</c> layer, e.g. a residual connection); the
/// operand and the shape rule are those of <see cref="MultiplyAttribute"/>.
/// </summary>
public sealed class AddAttribute(string stack) : LayerAttribute
{
    /// <summary>Name of the stack whose output is added; write it with <c>nameof</c>.</summary>
    public string Stack { get; } = stack;
}
