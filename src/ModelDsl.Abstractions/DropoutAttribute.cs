namespace ModelDsl;

/// <summary>Zeroes each value with probability <paramref name="rate"/> during training; shape unchanged.</summary>
public sealed class DropoutAttribute(double rate) : LayerAttribute
{
    /// <summary>Probability of dropping a value, in [0, 1).</summary>
    public double Rate { get; } = rate;
}
