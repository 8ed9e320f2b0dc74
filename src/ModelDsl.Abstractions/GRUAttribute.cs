namespace ModelDsl;

/// <summary>
/// Gated recurrent unit over a per-sample T×F sequence (PyTorch's <c>GRU</c>, batch first): T×F → units (the last
/// hidden state), or T×units with <paramref name="returnSequences"/>. Parameters: <c>3 · (F·units + units·units + 2·units)</c>.
/// </summary>
public sealed class GRUAttribute(int units, bool returnSequences = false) : RecurrentAttribute(units, returnSequences);
