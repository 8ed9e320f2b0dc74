namespace ModelDsl;

/// <summary>
/// How a layer's weights start: the <c>init:</c> argument of <see cref="DenseAttribute"/>,
/// <see cref="Conv2DAttribute"/>, <see cref="Conv2DTransposeAttribute"/> and <see cref="EmbeddingAttribute"/>
/// (Keras' <c>kernel_initializer</c> / <c>embeddings_initializer</c>). It belongs to the one layer it is written on.
/// The Glorot fans are Keras' and PyTorch's alike: in + out features for Dense, (in + out channels) · kernel²
/// for convolutions, count + dim for Embedding; both Glorot variants have std √(2 / (fan_in + fan_out)).
/// </summary>
public enum Init
{
    /// <summary>TorchSharp's own initialisation (PyTorch's: Kaiming-uniform weights and uniform biases; N(0, 1) embeddings).</summary>
    Default,

    /// <summary>
    /// Glorot (Xavier) normal, PyTorch's <c>xavier_normal_</c>: weights from N(0, 2 / (fan_in + fan_out)), biases zero
    /// as in Keras (whose normal is truncated at two standard deviations). The generated code calls <c>normal_</c> with
    /// that std, because TorchSharp 0.107's <c>xavier_normal_</c> draws from a uniform distribution.
    /// </summary>
    GlorotNormal,

    /// <summary>
    /// Glorot (Xavier) uniform, <c>torch.nn.init.xavier_uniform_</c>: weights from U(±√(6 / (fan_in + fan_out))),
    /// biases zero; Keras' default for Dense and convolutions.
    /// </summary>
    GlorotUniform,
}
