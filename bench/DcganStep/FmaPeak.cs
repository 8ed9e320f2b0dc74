using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelDsl.Bench.DcganStep;

/// <summary>
/// The machine's measured FP32 peak: fused multiply-adds on the widest vectors the CPU has, with enough independent
/// accumulators to hide their latency, on every logical CPU at once. Measured rather than computed from the ISA,
/// because the vCPUs may be SMT siblings of one core and the ISA does not tell the width of the vector datapath
/// (Zen 4 runs AVX-512 on 256-bit units).
/// </summary>
internal static class FmaPeak
{
    private const int Iterations = 20_000_000;

    /// <summary>GFLOP/s summed over <paramref name="threads"/> threads, best of three runs.</summary>
    public static double Measure(int threads) =>
        Enumerable.Range(0, 3).Max(_ =>
        {
            var clock = Stopwatch.StartNew();
            var flops = new double[threads];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => flops[i] = Run());
            return flops.Sum() / clock.Elapsed.TotalSeconds / 1e9;
        });

    /// <summary>Which vectors <see cref="Measure"/> uses.</summary>
    public static string Kind => Avx512F.IsSupported ? "AVX-512 FMA" : Fma.IsSupported ? "AVX2 FMA" : "no FMA (scalar multiply-add)";

    private static double Run() => Avx512F.IsSupported ? Run512() : Fma.IsSupported ? Run256() : RunScalar();

    // Ten accumulators: FMA latency 4–5 cycles times two FMA units needs at least eight in flight.
    private static double Run512()
    {
        var (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9) = (Vector512.Create(1f), Vector512.Create(2f), Vector512.Create(3f), Vector512.Create(4f), Vector512.Create(5f),
            Vector512.Create(6f), Vector512.Create(7f), Vector512.Create(8f), Vector512.Create(9f), Vector512.Create(10f));
        var (m, c) = (Vector512.Create(0.999999f), Vector512.Create(1e-7f));
        for (var i = 0; i < Iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c); a1 = Avx512F.FusedMultiplyAdd(a1, m, c); a2 = Avx512F.FusedMultiplyAdd(a2, m, c);
            a3 = Avx512F.FusedMultiplyAdd(a3, m, c); a4 = Avx512F.FusedMultiplyAdd(a4, m, c); a5 = Avx512F.FusedMultiplyAdd(a5, m, c);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, c); a7 = Avx512F.FusedMultiplyAdd(a7, m, c); a8 = Avx512F.FusedMultiplyAdd(a8, m, c);
            a9 = Avx512F.FusedMultiplyAdd(a9, m, c);
        }
        Keep((a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).ToScalar());
        return 2.0 * 10 * Vector512<float>.Count * Iterations;
    }

    private static double Run256()
    {
        var (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9) = (Vector256.Create(1f), Vector256.Create(2f), Vector256.Create(3f), Vector256.Create(4f), Vector256.Create(5f),
            Vector256.Create(6f), Vector256.Create(7f), Vector256.Create(8f), Vector256.Create(9f), Vector256.Create(10f));
        var (m, c) = (Vector256.Create(0.999999f), Vector256.Create(1e-7f));
        for (var i = 0; i < Iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c); a1 = Fma.MultiplyAdd(a1, m, c); a2 = Fma.MultiplyAdd(a2, m, c);
            a3 = Fma.MultiplyAdd(a3, m, c); a4 = Fma.MultiplyAdd(a4, m, c); a5 = Fma.MultiplyAdd(a5, m, c);
            a6 = Fma.MultiplyAdd(a6, m, c); a7 = Fma.MultiplyAdd(a7, m, c); a8 = Fma.MultiplyAdd(a8, m, c);
            a9 = Fma.MultiplyAdd(a9, m, c);
        }
        Keep((a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).ToScalar());
        return 2.0 * 10 * Vector256<float>.Count * Iterations;
    }

    private static double RunScalar()
    {
        var a = 1f;
        for (var i = 0; i < Iterations; i++) a = MathF.FusedMultiplyAdd(a, 0.999999f, 1e-7f);
        Keep(a);
        return 2.0 * Iterations;
    }

    // A result the JIT cannot prove unused, so the loops are not removed.
    private static float sink;

    private static void Keep(float value) => sink += value;
}
