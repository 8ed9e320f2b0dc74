namespace ModelDsl;

/// <summary>max(0, x); shape unchanged.</summary>
public sealed class ReLUAttribute : LayerAttribute;

/// <summary>x for x ≥ 0, <paramref name="slope"/>·x otherwise; shape unchanged.</summary>
public sealed class LeakyReLUAttribute(double slope = LeakyReLUAttribute.DefaultSlope) : LayerAttribute
{
    /// <summary>PyTorch's default negative slope.</summary>
    public const double DefaultSlope = 0.01;

    /// <summary>Slope for negative inputs (non-negative).</summary>
    public double Slope { get; } = slope;
}

/// <summary>tanh(x), into (−1, 1); shape unchanged.</summary>
public sealed class TanhAttribute : LayerAttribute;

/// <summary>1 / (1 + e^−x), into (0, 1); shape unchanged.</summary>
public sealed class SigmoidAttribute : LayerAttribute;

/// <summary>Softmax over the last axis; shape unchanged.</summary>
public sealed class SoftmaxAttribute : LayerAttribute;

/// <summary>Log of the softmax over the last axis; shape unchanged.</summary>
public sealed class LogSoftmaxAttribute : LayerAttribute;
