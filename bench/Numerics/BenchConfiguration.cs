using System.Globalization;
using ModelDsl.Numerics;

namespace ModelDsl.Bench.Numerics;

/// <summary>
/// A candidate configuration: <c>default</c> (what <see cref="NumericsSetup"/> picks for this CPU by itself)
/// or the product's <see cref="NumericsConfiguration"/> (<c>native</c>, <c>isa=…</c>, <c>threads=…</c>), plus
/// bench-only diagnostics joined by '+': <c>mkldnn=off</c> (ATen's own convolution kernels) and
/// <c>malloc-perturb=N</c> (glibc fills fresh allocations with byte ~N, exposing reads of uninitialised
/// memory; it must be set at process start, so only <c>compare</c> can apply it).
/// </summary>
/// <param name="Numerics">Null for <c>default</c>.</param>
internal sealed record BenchConfiguration(string Name, NumericsConfiguration? Numerics, bool MkldnnOff, int? MallocPerturb)
{
    public static BenchConfiguration Parse(string text)
    {
        var (isDefault, mkldnnOff, perturb, product) = (false, false, (int?)null, new List<string>());
        foreach (var item in text.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var lower = item.ToLowerInvariant();
            if (lower == "default") isDefault = true;
            else if (lower == "mkldnn=off") mkldnnOff = true;
            else if (lower.StartsWith("malloc-perturb=", StringComparison.Ordinal)) perturb = int.Parse(lower["malloc-perturb=".Length..], CultureInfo.InvariantCulture);
            else if (lower != "native") product.Add(item);
        }
        if (isDefault && product.Count > 0) throw new UsageException($"'{text}': 'default' is the CPU's own choice and takes no isa= or threads=.");
        var numerics = isDefault ? null : NumericsConfiguration.Parse(product.Count == 0 ? "native" : string.Join('+', product));
        return new BenchConfiguration(text, numerics, mkldnnOff, perturb);
    }

    /// <summary>Applies everything a running process can apply, before the first kernel runs.</summary>
    public NumericsChoice Apply(TextWriter? log)
    {
        var choice = NumericsSetup.Apply(Numerics?.ToString(), log);
        if (MkldnnOff)
        {
            LibTorchContext.SetMkldnnEnabled(false);
            if (LibTorchContext.MkldnnEnabled) throw new InvalidOperationException("mkldnn=off did not reach libtorch's context.");
        }
        if (MallocPerturb is { } perturb && NativeEnvironment.Get("MALLOC_PERTURB_") != perturb.ToString(CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"malloc-perturb={perturb} needs MALLOC_PERTURB_={perturb} at process start; run it through 'compare'.");
        return choice;
    }
}
