namespace ModelDsl;

/// <summary>
/// Starts a stack: the per-sample shape of its input (the batch dimension is implicit).
/// <c>[Input(1, 28, 28)]</c> is an image, <c>[Input(100)]</c> a vector,
/// <c>[Input(DType.Int64)]</c> one integer per sample (for <see cref="EmbeddingAttribute"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>A float input of the given per-sample shape.</summary>
    public InputAttribute(params int[] shape) : this(DType.Float32, shape) { }

    /// <summary>An input of the given element type and per-sample shape (empty: one value per sample).</summary>
    public InputAttribute(DType dtype, params int[] shape)
    {
        DType = dtype;
        Shape = shape;
    }

    /// <summary>Element type of the input.</summary>
    public DType DType { get; }

    /// <summary>Per-sample shape.</summary>
    public IReadOnlyList<int> Shape { get; }
}

/// <summary>The per-sample shape the stack promises to produce; the build fails when the layers produce another.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class OutputAttribute(params int[] shape) : Attribute
{
    /// <summary>Per-sample shape.</summary>
    public IReadOnlyList<int> Shape { get; } = shape;
}

/// <summary>Starts a stack from the output of another stack (a partial method) of the same class.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FromAttribute(string stack) : Attribute
{
    /// <summary>Name of the stack whose output feeds this one; write it with <c>nameof</c>.</summary>
    public string Stack { get; } = stack;
}
