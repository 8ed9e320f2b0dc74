namespace ModelDsl;

/// <summary>Flattens the per-sample shape into one axis: C×H×W → C·H·W.</summary>
public sealed class FlattenAttribute : LayerAttribute;
