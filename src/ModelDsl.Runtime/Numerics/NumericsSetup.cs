using TorchSharp;

namespace ModelDsl.Numerics;

/// <summary>
/// Chooses and applies the CPU kernel configuration once per process, before libtorch initialises:
/// oneDNN reads <c>ONEDNN_MAX_CPU_ISA</c> with <c>getenv</c> the first time it dispatches a kernel,
/// so the variable is set in the C environment (<see cref="NativeEnvironment"/>), not .NET's copy.
/// </summary>
public static class NumericsSetup
{
    /// <summary>The user's override: <c>native</c>, or items like <c>isa=avx2</c>, <c>threads=1</c> joined by '+'.</summary>
    public const string SettingVariable = "MODELDSL_NUMERICS";

    private static readonly Lock Gate = new();

    /// <summary>The choice applied in this process, or null before <see cref="Apply"/>.</summary>
    public static NumericsChoice? Current { get; private set; }

    /// <summary>
    /// Applies the configuration (first call only; later calls return the first choice). Call it first thing
    /// in <c>Main</c>, before anything touches <c>torch</c>; a later call that finds libtorch loaded says so in
    /// <see cref="NumericsChoice.Warning"/> (worth recording with the run).
    /// </summary>
    /// <param name="setting">An explicit setting (e.g. the app's <c>--numerics</c>), overriding the environment.</param>
    /// <param name="verboseLog">Where to print the choice in effect (the app passes stderr under <c>--verbose</c>).</param>
    /// <exception cref="FormatException">An invalid setting.</exception>
    /// <exception cref="InvalidOperationException">A different explicit setting after the first call.</exception>
    public static NumericsChoice Apply(string? setting = null, TextWriter? verboseLog = null)
    {
        lock (Gate)
        {
            if (Current is { } applied)
            {
                if (setting is not null && NumericsConfiguration.Parse(setting) != applied.Configuration)
                    throw new InvalidOperationException($"Numerics are already set to '{applied.Configuration}' for this process; '{setting}' would need a new process.");
                verboseLog?.WriteLine(applied);
                return applied;
            }

            var choice = WarnIfLate(Choose(CpuInfo.Current, setting, NativeEnvironment.Get), LibTorchLoaded());
            if (IsaVariableValue(choice, NativeEnvironment.Get) is { } isa) NativeEnvironment.Set(OneDnnIsaVariable, isa);
            // Before libtorch's first tensor, so that its allocations all come from the heap as set.
            choice = choice with { Heap = NativeHeap.Apply(choice.Configuration.Heap) };
            // After the variables: this may be the first call into libtorch.
            if (choice.Configuration.Threads is { } threads) torch.set_num_threads(threads);

            Current = choice;
            verboseLog?.WriteLine(choice);
            return choice;
        }
    }

    /// <summary>
    /// What <c>ONEDNN_MAX_CPU_ISA</c> must hold for <paramref name="choice"/>, or null to leave it alone: the cap;
    /// or, when an option or <c>MODELDSL_NUMERICS</c> asks for no cap while the user's environment has one,
    /// oneDNN's "DEFAULT" (no cap), which also outranks the older <c>DNNL_MAX_CPU_ISA</c>.
    /// </summary>
    internal static string? IsaVariableValue(NumericsChoice choice, Func<string, string?> environment) =>
        choice.Source == NumericsSource.OneDnnVariable ? null
        : choice.Configuration.MaxCpuIsa is { } cap ? cap
        : !string.IsNullOrEmpty(environment(OneDnnIsaVariable) ?? environment(LegacyIsaVariable)) ? "DEFAULT"
        : null;

    /// <summary>Adds the warning that an ISA cap set now may come too late, when libtorch is loaded already.</summary>
    internal static NumericsChoice WarnIfLate(NumericsChoice choice, bool libTorchLoaded) =>
        libTorchLoaded && choice.Configuration.MaxCpuIsa is not null && choice.Source != NumericsSource.OneDnnVariable
            ? choice with
            {
                Warning = "libtorch was loaded before NumericsSetup.Apply, so the ISA cap holds only if no oneDNN kernel " +
                          "(convolution, matmul, …) has run yet; call NumericsSetup.Apply before anything uses torch.",
            }
            : choice;

    /// <summary>
    /// Whether libtorch is mapped into this process already. oneDNN fixes its ISA when it first dispatches
    /// (any convolution or matmul), which can only happen after this.
    /// </summary>
    private static bool LibTorchLoaded() =>
        OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/maps").Contains("libtorch_cpu", StringComparison.Ordinal);

    /// <summary>oneDNN's variable for the instruction-set cap.</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>Its name before oneDNN 3 (still read, after <see cref="OneDnnIsaVariable"/>).</summary>
    public const string LegacyIsaVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>
    /// The decision, free of side effects: an explicit setting, else <c>MODELDSL_NUMERICS</c>, else a cap the
    /// user already gave oneDNN, else this CPU's default (<see cref="DefaultFor"/>).
    /// </summary>
    public static NumericsChoice Choose(CpuInfo cpu, string? setting, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(setting))
            return new(NumericsConfiguration.Parse(setting), NumericsSource.Option, "set by option");
        if (environment(SettingVariable) is { Length: > 0 } fromEnvironment)
            return new(NumericsConfiguration.Parse(fromEnvironment), NumericsSource.EnvironmentVariable, $"set by {SettingVariable}");
        if ((environment(OneDnnIsaVariable) ?? environment(LegacyIsaVariable)) is { Length: > 0 } userIsa)
            return new(new NumericsConfiguration(MaxCpuIsa: userIsa.ToUpperInvariant()), NumericsSource.OneDnnVariable, $"{OneDnnIsaVariable} already set");
        return DefaultFor(cpu);
    }

    /// <summary>
    /// ModelDsl's measured default for <paramref name="cpu"/>: oneDNN's own kernels on every CPU. The AVX2 cap once
    /// applied to AMD CPUs with AVX-512 cost 1.4–1.7× there, for a NaN that no longer reproduced (bench/README.md);
    /// the non-finite guard of training stays as the safety net.
    /// </summary>
    public static NumericsChoice DefaultFor(CpuInfo cpu) =>
        new(NumericsConfiguration.Native, NumericsSource.CpuDefault, $"{cpu.Brand}: oneDNN's own kernel choice");
}
