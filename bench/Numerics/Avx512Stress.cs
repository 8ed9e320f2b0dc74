using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelDsl.Bench.Numerics;

/// <summary>
/// A check of the platform, not of oneDNN: threads keep exact integer-valued sums in many AVX-512 registers
/// for a long time (so the OS preempts them mid-sum) and compare each result with the known answer. A
/// mismatch means AVX-512 register state was corrupted, e.g. across context switches under a hypervisor,
/// which would make any AVX-512 code (oneDNN's kernels included) produce sporadic garbage.
/// </summary>
internal static class Avx512Stress
{
    private const int Iterations = 1 << 24;

    public static int Run(BenchOptions options)
    {
        if (!Avx512F.IsSupported)
        {
            Console.WriteLine("AVX-512 is not available here: nothing to check.");
            return 0;
        }
        var threads = options.Threads ?? 2 * Environment.ProcessorCount;
        var deadline = Stopwatch.StartNew();
        var (rounds, mismatches) = (0L, 0L);
        var workers = Enumerable.Range(0, threads).Select(thread => new Thread(() =>
        {
            while (deadline.Elapsed.TotalSeconds < options.Seconds)
            {
                var wrong = SumsAreWrong(thread);
                Interlocked.Increment(ref rounds);
                if (wrong > 0) Interlocked.Add(ref mismatches, wrong);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Console.WriteLine($"{threads} threads, {options.Seconds} s, {rounds} rounds of {Iterations:#,0} AVX-512 additions in 8 registers: {mismatches} wrong lanes");
        return mismatches == 0 ? 0 : 1;
    }

    /// <summary>Eight accumulators of 8 doubles each add a per-lane integer step; every lane must end at Iterations × step.</summary>
    private static long SumsAreWrong(int seed)
    {
        var step = Vector512.Create(1.0 + seed, 2, 3, 4, 5, 6, 7, 8);
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (var i = 0; i < Iterations; i++)
        {
            a0 = Avx512F.Add(a0, step); a1 = Avx512F.Add(a1, step); a2 = Avx512F.Add(a2, step); a3 = Avx512F.Add(a3, step);
            a4 = Avx512F.Add(a4, step); a5 = Avx512F.Add(a5, step); a6 = Avx512F.Add(a6, step); a7 = Avx512F.Add(a7, step);
        }
        var expected = step * Iterations;
        long wrong = 0;
        foreach (var sum in new[] { a0, a1, a2, a3, a4, a5, a6, a7 })
            wrong += BitOperations.PopCount(~Vector512.Equals(sum, expected).ExtractMostSignificantBits() & 0xFF);
        return wrong;
    }
}
