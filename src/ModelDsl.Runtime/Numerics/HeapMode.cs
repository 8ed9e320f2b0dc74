using System.Runtime.InteropServices;

namespace ModelDsl.Numerics;

/// <summary>What happens to the memory of freed tensors.</summary>
public enum HeapMode
{
    /// <summary>
    /// It stays with the process for the next tensor of the step (glibc: no mmap for large blocks, no trimming).
    /// A training step frees and reallocates the same large activations every time; handed back to the kernel,
    /// each one comes back as fresh pages that fault in one by one, which cost 15–25% of a DCGAN step on the
    /// machines of bench/README.md. The price: the process keeps its peak memory until it exits.
    /// </summary>
    Reuse,

    /// <summary>The C library's defaults: large blocks are mapped for each allocation and unmapped when freed.</summary>
    System,
}

/// <summary>Applies a <see cref="HeapMode"/> to the C library's allocator, which libtorch allocates CPU tensors from.</summary>
public static partial class NativeHeap
{
    // glibc's mallopt parameters (malloc.h).
    private const int TrimThreshold = -1;
    private const int MmapMaximum = -4;

    /// <summary>
    /// Applies <paramref name="mode"/>; returns what was done, or why nothing could be (a C library other than
    /// glibc, or another OS: the allocator is left as it is).
    /// </summary>
    public static string Apply(HeapMode mode)
    {
        if (mode == HeapMode.System) return "the C library's allocator as it is";
        if (!OperatingSystem.IsLinux()) return "not applied: freed memory is kept only with glibc's allocator (Linux)";
        try
        {
            // Both take effect for later allocations; mallopt returns 1 on success.
            var applied = MallocOption(MmapMaximum, 0) == 1 & MallocOption(TrimThreshold, int.MaxValue) == 1;
            return applied ? "freed tensor memory reused (glibc: no mmap, no trim)" : "not applied: glibc's mallopt refused the settings";
        }
        catch (EntryPointNotFoundException)
        {
            return "not applied: this C library has no mallopt";
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallocOption(int parameter, int value);
}
