using ModelDsl.Numerics;

namespace ModelDsl.Bench.Numerics;

/// <summary>
/// A candidate configuration: the product's <see cref="NumericsConfiguration"/> (<c>native</c>, <c>isa=…</c>,
/// <c>threads=…</c>) plus bench-only diagnostics joined by '+': <c>mkldnn=off</c> (ATen's own convolution
/// kernels), <c>malloc-perturb=N</c>
/// (glibc fills fresh allocations with byte ~N, exposing reads of uninitialised memory; needs a new process,
/// so only <c>compare</c> can apply it).
/// </summary>
internal sealed record BenchConfiguration(string Name, NumericsConfiguration Numerics, bool MkldnnOff, int? MallocPerturb)
{
    public static BenchConfiguration Parse(string text)
    {
        var (mkldnnOff, perturb, product) = (false, (int?)null, new List<string>());
        foreach (var item in text.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var lower = item.ToLowerInvariant();
            if (lower == "mkldnn=off") mkldnnOff = true;
            else if (lower.StartsWith("malloc-perturb=", StringComparison.Ordinal)) perturb = int.Parse(lower["malloc-perturb=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            else if (lower != "native") product.Add(item);
        }
        return new BenchConfiguration(text, NumericsConfiguration.Parse(product.Count == 0 ? "native" : string.Join('+', product)), mkldnnOff, perturb);
    }

    /// <summary>Applies everything a running process can apply, before the first kernel runs.</summary>
    public NumericsChoice Apply(TextWriter? log)
    {
        var choice = NumericsSetup.Apply(Numerics.ToString(), log);
        if (MkldnnOff)
        {
            LibTorchContext.SetMkldnnEnabled(false);
            if (LibTorchContext.MkldnnEnabled) throw new InvalidOperationException("mkldnn=off did not reach libtorch's context.");
        }
        if (MallocPerturb is { } perturb && NativeEnvironment.Get("MALLOC_PERTURB_") != perturb.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"malloc-perturb={perturb} needs MALLOC_PERTURB_={perturb} at process start; run it through 'compare'.");
        return choice;
    }
}
