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
}
