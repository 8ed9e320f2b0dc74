namespace ModelDsl;

/// <summary>
/// Base of every layer attribute. Layers apply in source order to the stack that starts with
/// <see cref="InputAttribute"/> or <see cref="FromAttribute"/> on the same class or partial method.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public abstract class LayerAttribute : Attribute;

/// <summary>Element type of a stack's input.</summary>
public enum DType
{
    /// <summary>32-bit floats (images, latent vectors).</summary>
    Float32,

    /// <summary>64-bit integers (class indices, token ids) for <see cref="EmbeddingAttribute"/>.</summary>
    Int64,
}
