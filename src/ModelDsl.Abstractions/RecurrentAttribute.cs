namespace ModelDsl;

/// <summary>
/// What <see cref="LSTMAttribute"/> and <see cref="GRUAttribute"/> share: a one-layer recurrent network run over a
/// per-sample T×F sequence (batch first), giving its last hidden state (T×F → units) or, with
/// <see cref="ReturnSequences"/>, the hidden state of every step (T×F → T×units).
/// </summary>
public abstract class RecurrentAttribute : LayerAttribute
{
    private protected RecurrentAttribute(int units, bool returnSequences)
    {
        Units = units;
        ReturnSequences = returnSequences;
    }

    /// <summary>Size of the hidden state.</summary>
    public int Units { get; }
    /// <summary>Whether every step's hidden state is returned (T×units) rather than the last one (units), as Keras' return_sequences.</summary>
    public bool ReturnSequences { get; }
}
