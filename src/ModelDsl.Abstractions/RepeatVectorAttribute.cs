namespace ModelDsl;

/// <summary>
/// Repeats a per-sample vector <paramref name="count"/> times, making a sequence: F → count×F (Keras' RepeatVector,
/// e.g. between an encoder's last state and a decoder's LSTM).
/// </summary>
public sealed class RepeatVectorAttribute(int count) : LayerAttribute
{
    /// <summary>Times the vector is repeated: the length of the sequence made.</summary>
    public int Count { get; } = count;
}
