using ModelDsl.Numerics;

namespace ModelDsl.Tests.Numerics;

public class NumericsSetupTests
{
    private static readonly CpuInfo Zen5 = new("AuthenticAMD", 26, 2, "AMD EPYC 9B45", HasAvx512: true, HasAmx: false);
    private static readonly CpuInfo Zen3 = new("AuthenticAMD", 25, 1, "AMD EPYC 7B13", HasAvx512: false, HasAmx: false);
    private static readonly CpuInfo SapphireRapids = new("GenuineIntel", 6, 207, "Intel(R) Xeon(R) Processor", HasAvx512: true, HasAmx: true);

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Every_CPU_keeps_oneDNNs_choice_and_reuses_freed_memory()
    {
        foreach (var cpu in new[] { Zen5, Zen3, SapphireRapids })
        {
            var choice = NumericsSetup.Choose(cpu, setting: null, Environment());
            Assert.Equal(NumericsConfiguration.Native, choice.Configuration);
            Assert.Equal(HeapMode.Reuse, choice.Configuration.Heap);
            Assert.Equal(NumericsSource.CpuDefault, choice.Source);
            Assert.Contains(cpu.Brand, choice.Reason);
        }
    }

    [Fact]
    public void Option_beats_environment_variable_beats_user_oneDNN_cap_beats_CPU_default()
    {
        var all = Environment((NumericsSetup.SettingVariable, "isa=avx512_core"), (NumericsSetup.OneDnnIsaVariable, "avx2_vnni"));

        var byOption = NumericsSetup.Choose(Zen5, "native", all);
        Assert.Equal((NumericsConfiguration.Native, NumericsSource.Option), (byOption.Configuration, byOption.Source));

        var byVariable = NumericsSetup.Choose(Zen5, null, all);
        Assert.Equal((new NumericsConfiguration("AVX512_CORE"), NumericsSource.EnvironmentVariable), (byVariable.Configuration, byVariable.Source));

        var byOneDnn = NumericsSetup.Choose(Zen5, null, Environment((NumericsSetup.OneDnnIsaVariable, "avx2_vnni")));
        Assert.Equal((new NumericsConfiguration("AVX2_VNNI"), NumericsSource.OneDnnVariable), (byOneDnn.Configuration, byOneDnn.Source));

        var byOldOneDnnName = NumericsSetup.Choose(Zen5, null, Environment((NumericsSetup.LegacyIsaVariable, "avx512_core")));
        Assert.Equal(NumericsSource.OneDnnVariable, byOldOneDnnName.Source);
    }

    [Fact]
    public void Invalid_environment_setting_fails_loudly() =>
        Assert.Throws<FormatException>(() => NumericsSetup.Choose(Zen5, null, Environment((NumericsSetup.SettingVariable, "isa=fastest"))));

    [Fact]
    public void Verbose_line_names_the_configuration_the_reason_the_heap_and_the_override()
    {
        var line = (NumericsSetup.Choose(Zen5, null, Environment()) with { Heap = "freed tensor memory reused" }).ToString();
        Assert.StartsWith("numerics: native (AMD EPYC 9B45: oneDNN's own kernel choice; heap: freed tensor memory reused)", line);
        Assert.Contains(NumericsSetup.SettingVariable + "=", line);
        Assert.Contains("+heap=system", line);
    }

    [Fact]
    public void A_cap_chosen_after_libtorch_loaded_carries_a_warning_into_the_verbose_line()
    {
        var capped = NumericsSetup.Choose(Zen5, "isa=AVX2", Environment());

        var late = NumericsSetup.WarnIfLate(capped, libTorchLoaded: true);

        Assert.Contains("before anything uses torch", late.Warning);
        Assert.Contains("\nwarning: libtorch was loaded", late.ToString());
        Assert.Null(NumericsSetup.WarnIfLate(capped, libTorchLoaded: false).Warning);
        Assert.Null(NumericsSetup.WarnIfLate(NumericsSetup.Choose(SapphireRapids, null, Environment()), libTorchLoaded: true).Warning);
    }

    [Fact]
    public void The_ISA_variable_gets_the_cap_or_DEFAULT_where_an_explicit_native_must_undo_the_users_cap()
    {
        var none = Environment();
        var userCap = Environment((NumericsSetup.OneDnnIsaVariable, "AVX2"));

        Assert.Equal("AVX2", NumericsSetup.IsaVariableValue(NumericsSetup.Choose(Zen5, "isa=avx2", none), none));
        Assert.Null(NumericsSetup.IsaVariableValue(NumericsSetup.Choose(Zen5, null, none), none));
        Assert.Null(NumericsSetup.IsaVariableValue(NumericsSetup.Choose(SapphireRapids, null, none), none));
        Assert.Null(NumericsSetup.IsaVariableValue(NumericsSetup.Choose(SapphireRapids, null, userCap), userCap));
        Assert.Equal("DEFAULT", NumericsSetup.IsaVariableValue(NumericsSetup.Choose(SapphireRapids, "native", userCap), userCap));
        var legacyCap = Environment((NumericsSetup.LegacyIsaVariable, "AVX2"));
        Assert.Equal("DEFAULT", NumericsSetup.IsaVariableValue(NumericsSetup.Choose(Zen5, "native", legacyCap), legacyCap));
    }
}
