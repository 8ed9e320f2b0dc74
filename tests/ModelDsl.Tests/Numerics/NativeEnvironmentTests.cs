using ModelDsl.Numerics;

namespace ModelDsl.Tests.Numerics;

public class NativeEnvironmentTests
{
    [Fact]
    public void Set_reaches_the_C_environment_that_getenv_reads()
    {
        var name = "MODELDSL_TEST_" + Guid.NewGuid().ToString("N");
        Assert.Null(NativeEnvironment.Get(name));

        NativeEnvironment.Set(name, "AVX2");

        Assert.Equal("AVX2", NativeEnvironment.Get(name));
        Assert.Equal("AVX2", Environment.GetEnvironmentVariable(name));
    }

    [Fact]
    public void Current_CPU_is_described_with_its_vendor()
    {
        var cpu = CpuInfo.Current;
        if (System.Runtime.Intrinsics.X86.X86Base.IsSupported) Assert.Matches("^(GenuineIntel|AuthenticAMD|HygonGenuine|\\w+) family \\d+ model \\d+", cpu.ToString());
        Assert.Equal(cpu.Vendor == "AuthenticAMD", cpu.IsAmd);
    }

    [Fact]
    public void Reusing_freed_memory_is_accepted_by_glibc_and_the_system_mode_changes_nothing()
    {
        Assert.Equal("the C library's allocator as it is", NativeHeap.Apply(HeapMode.System));
        var reuse = NativeHeap.Apply(HeapMode.Reuse);
        if (OperatingSystem.IsLinux() && File.Exists("/lib/x86_64-linux-gnu/libc.so.6"))
            Assert.Equal("freed tensor memory reused (glibc: no mmap, no trim)", reuse);
        else
            Assert.StartsWith("not applied: ", reuse);
    }
}
