namespace ModelDsl.ShapeFuzz;

/// <summary>
/// Generator bugs this fuzzer found that are not fixed yet, as layer patterns that
/// <c>--skip-known-bugs</c> (and the CI test) leave out. Each entry goes when its fix lands.
/// </summary>
public static class KnownGeneratorBugs
{
    public static readonly IReadOnlyList<(string Name, Func<FuzzLayer, bool> Matches)> All =
    [
        // Keras: H·stride + max(window − stride, 0); the generator: (H − 1)·stride + window, short by stride − window.
        ("Conv2DTranspose with Padding.Valid and a (dilated) kernel narrower than the stride",
            layer => layer is Conv2DTranspose { Padding.Mode: 0 } transpose && (long)transpose.Dilation * (transpose.Kernel - 1) + 1 < transpose.Stride),
        // -1 is the generator's own marker for integer padding (PaddingMode.Explicit), so it reads as padding 0.
        ("(Padding)(-1) taken for padding 0 instead of rejected",
            layer => layer is Conv2D { Padding.Mode: -1 } or Conv2DTranspose { Padding.Mode: -1 }),
    ];
}
