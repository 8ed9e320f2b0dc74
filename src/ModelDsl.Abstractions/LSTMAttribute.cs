namespace ModelDsl;

/// <summary>
/// Long short-term memory over a per-sample T×F sequence (PyTorch's <c>LSTM</c>, batch first): T×F → units (the last
/// hidden state), or T×units with <paramref name="returnSequences"/>. Parameters: <c>4 · (F·units + units·units + 2·units)</c>
/// (PyTorch keeps two bias vectors where Keras keeps one).
/// </summary>
public sealed class LSTMAttribute(int units, bool returnSequences = false) : RecurrentAttribute(units, returnSequences);
