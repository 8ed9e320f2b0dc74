namespace ModelDsl.Numerics;

/// <summary>Where a <see cref="NumericsChoice"/> came from, highest precedence first.</summary>
public enum NumericsSource
{
    /// <summary>Passed to <see cref="NumericsSetup.Apply"/> (e.g. the app's <c>--numerics</c> option).</summary>
    Option,

    /// <summary>The <c>MODELDSL_NUMERICS</c> environment variable.</summary>
    EnvironmentVariable,

    /// <summary><c>ONEDNN_MAX_CPU_ISA</c> (or the older <c>DNNL_MAX_CPU_ISA</c>) was already set by the user.</summary>
    OneDnnVariable,

    /// <summary>ModelDsl's default for this CPU.</summary>
    CpuDefault,
}

/// <summary>The configuration chosen for this process and why.</summary>
/// <param name="Warning">Set when the choice may not have taken effect (applied after libtorch was loaded).</param>
/// <param name="Heap">What applying <see cref="NumericsConfiguration.Heap"/> did; null before it is applied.</param>
public sealed record NumericsChoice(NumericsConfiguration Configuration, NumericsSource Source, string Reason, string? Warning = null, string? Heap = null)
{
    /// <summary>One line for <c>--verbose</c>.</summary>
    public override string ToString() =>
        $"numerics: {Configuration} ({Reason}{(Heap is null ? "" : "; heap: " + Heap)}); override with {NumericsSetup.SettingVariable}=native|isa=LEVEL[+threads=N][+heap=system]" +
        (Warning is null ? "" : "\nwarning: " + Warning);
}
