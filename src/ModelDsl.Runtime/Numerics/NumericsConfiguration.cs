using System.Globalization;

namespace ModelDsl.Numerics;

/// <summary>
/// Which CPU kernels libtorch may use and how its memory is managed: an optional cap on oneDNN's instruction set
/// (<c>ONEDNN_MAX_CPU_ISA</c>), an optional intra-op thread count, and whether freed tensor memory stays with the
/// process (<see cref="HeapMode"/>). Written as <c>native</c> (libtorch's own kernels, memory kept) or items joined
/// by '+', e.g. <c>isa=avx2+threads=1</c> or <c>heap=system</c>.
/// </summary>
public sealed record NumericsConfiguration(string? MaxCpuIsa = null, int? Threads = null, HeapMode Heap = HeapMode.Reuse)
{
    /// <summary>oneDNN's ISA levels that <c>ONEDNN_MAX_CPU_ISA</c> accepts (oneDNN 3.7), lowest first.</summary>
    public static IReadOnlyList<string> KnownIsaLevels { get; } =
    [
        "SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2", "AVX512_CORE", "AVX512_CORE_VNNI",
        "AVX512_CORE_BF16", "AVX10_1_512", "AVX512_CORE_FP16", "AVX512_CORE_AMX", "AVX10_1_512_AMX",
        "AVX512_CORE_AMX_FP16", "AVX10_1_512_AMX_FP16", "DEFAULT",
    ];

    /// <summary>No cap, libtorch's default thread count, freed memory reused.</summary>
    public static NumericsConfiguration Native { get; } = new();

    /// <summary>Parses <c>native</c> or <c>isa=LEVEL</c> / <c>threads=N</c> / <c>heap=reuse|system</c> items joined by '+' (case-insensitive).</summary>
    /// <exception cref="FormatException">Unknown item, ISA level or thread count, with the accepted forms.</exception>
    public static NumericsConfiguration Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var configuration = Native;
        if (text.Trim().Equals("native", StringComparison.OrdinalIgnoreCase)) return configuration;

        foreach (var item in text.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = item.Split('=', 2, StringSplitOptions.TrimEntries) is [var k, var v] ? (k.ToLowerInvariant(), v) : (item, "");
            configuration = key switch
            {
                "isa" when KnownIsaLevels.Contains(value.ToUpperInvariant()) => configuration with { MaxCpuIsa = value.ToUpperInvariant() },
                "isa" => throw new FormatException($"Unknown oneDNN ISA level '{value}' in '{text}'; known: {string.Join(", ", KnownIsaLevels)}."),
                "threads" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var threads) && threads > 0 =>
                    configuration with { Threads = threads },
                "threads" => throw new FormatException($"Thread count must be a positive integer, not '{value}' in '{text}'."),
                "heap" when Enum.TryParse<HeapMode>(value, ignoreCase: true, out var heap) && Enum.IsDefined(heap) => configuration with { Heap = heap },
                "heap" => throw new FormatException($"heap must be 'reuse' or 'system', not '{value}' in '{text}'."),
                _ => throw new FormatException($"Unknown numerics setting '{item}' in '{text}'; write 'native' or items like 'isa=avx2', 'threads=2', 'heap=system' joined by '+'."),
            };
        }
        return configuration;
    }

    /// <summary>The text <see cref="Parse"/> reads back: <c>native</c>, <c>isa=AVX2</c>, <c>isa=AVX2+threads=1+heap=system</c>.</summary>
    public override string ToString()
    {
        var items = new List<string>(3);
        if (MaxCpuIsa is not null) items.Add("isa=" + MaxCpuIsa);
        if (Threads is { } threads) items.Add("threads=" + threads.ToString(CultureInfo.InvariantCulture));
        if (Heap != HeapMode.Reuse) items.Add("heap=" + Heap.ToString().ToLowerInvariant());
        return items.Count == 0 ? "native" : string.Join('+', items);
    }
}
