namespace Models.Mnist.Evaluation;

/// <summary>
/// What a grid of generated digits (<c>generate</c>) holds: its layout, the digit asked of each image (class-conditional
/// GANs) and the latent points, drawn by a managed generator of the seed rather than libtorch's, so that drawing through
/// TorchSharp and through ONNX Runtime (<c>generate --onnx</c>) gives the same picture for the same seed.
/// </summary>
/// <param name="Latent">Count × LatentSize values, row-major.</param>
internal sealed record DigitGridPlan(int Count, int Rows, int Columns, long[]? Digits, float[] Latent, int LatentSize, string Drawn)
{
    private const int DefaultCount = 100, DefaultPerDigit = 10;

    /// <summary><paramref name="count"/> digits (default 100) of a GAN without conditions, in a square grid; latent points from N(0, 1).</summary>
    public static DigitGridPlan Unconditional(int? count, int latentSize, int seed)
    {
        var total = count ?? DefaultCount;
        var columns = (int)Math.Ceiling(Math.Sqrt(total));
        return new(total, (total + columns - 1) / columns, columns, null, Draw(seed, total * latentSize, LatentPrior.Normal), latentSize, $"{total} digits");
    }

    /// <summary>One row of <paramref name="count"/> (default 10) per digit of <paramref name="digits"/> (default 0–9), latent points from <paramref name="prior"/>.</summary>
    public static DigitGridPlan Conditional(int? count, IReadOnlyList<int>? digits, int latentSize, LatentPrior prior, int seed)
    {
        IReadOnlyList<int> rows = digits ?? [.. Enumerable.Range(0, ConditionalNetworks.Classes)];
        var perDigit = count ?? DefaultPerDigit;
        var total = rows.Count * perDigit;
        return new(total, rows.Count, perDigit, [.. rows.SelectMany(d => Enumerable.Repeat((long)d, perDigit))],
            Draw(seed, total * latentSize, prior), latentSize, $"{perDigit} of each of the digits {string.Concat(rows)}");
    }

    /// <summary>
    /// <paramref name="count"/> values of <paramref name="prior"/> from System.Random of <paramref name="seed"/> (whose seeded
    /// sequence .NET keeps stable): uniform on [−1, 1], or standard normal by the Box–Muller transform.
    /// </summary>
    private static float[] Draw(int seed, int count, LatentPrior prior)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
            values[i] = prior == LatentPrior.Uniform
                ? (float)(random.NextDouble() * 2 - 1)
                : (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return values;
    }
}
