using System.Globalization;
using Models.Mnist.Models;
using ModelDsl.Bench.HandWritten;
using ModelDsl.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Bench.Numerics;

/// <summary>
/// A candidate configuration: <c>default</c> (what <see cref="NumericsSetup"/> picks for this CPU by itself)
/// or the product's <see cref="NumericsConfiguration"/> (<c>native</c>, <c>isa=…</c>, <c>threads=…</c>), plus
/// bench-only diagnostics joined by '+': <c>mkldnn=off</c> (ATen's own convolution kernels) and
/// <c>malloc-perturb=N</c> (glibc fills fresh allocations with byte ~N, exposing reads of uninitialised
/// memory; it must be set at process start, so only <c>compare</c> can apply it), <c>init=torch</c> (the DCGAN's
/// weights at TorchSharp's default initialisation instead of the recipe's Glorot: the setting in which the AMD NaN
/// was first seen) and <c>networks=hand-written</c> (the DCGAN written by hand in plain TorchSharp, which also
/// starts from TorchSharp's initialisation: the baseline of bench/DcganStep), and <c>omp-bind=close|spread</c>
/// (OpenMP pins its threads to CPUs: OMP_PROC_BIND with OMP_PLACES=cores, set at process start like malloc-perturb).
/// </summary>
/// <param name="Numerics">Null for <c>default</c>.</param>
internal sealed record BenchConfiguration(string Name, NumericsConfiguration? Numerics, bool MkldnnOff, int? MallocPerturb, bool TorchInit, bool HandWritten, string? OmpBind)
{
    public static BenchConfiguration Parse(string text)
    {
        var (isDefault, mkldnnOff, perturb, product) = (false, false, (int?)null, new List<string>());
        var (torchInit, handWritten, ompBind) = (false, false, (string?)null);
        foreach (var item in text.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var lower = item.ToLowerInvariant();
            if (lower == "default") isDefault = true;
            else if (lower == "mkldnn=off") mkldnnOff = true;
            else if (lower == "init=torch") torchInit = true;
            else if (lower == "networks=hand-written") handWritten = true;
            else if (lower is "omp-bind=close" or "omp-bind=spread") ompBind = lower["omp-bind=".Length..];
            else if (lower.StartsWith("malloc-perturb=", StringComparison.Ordinal)) perturb = int.Parse(lower["malloc-perturb=".Length..], CultureInfo.InvariantCulture);
            else if (lower != "native") product.Add(item);
        }
        if (isDefault && product.Count > 0) throw new UsageException($"'{text}': 'default' is the CPU's own choice and takes no isa= or threads=.");
        var numerics = isDefault ? null : NumericsConfiguration.Parse(product.Count == 0 ? "native" : string.Join('+', product));
        return new BenchConfiguration(text, numerics, mkldnnOff, perturb, torchInit, handWritten, ompBind);
    }

    /// <summary>The DCGAN this configuration trains: generated or hand-written, at the recipe's or TorchSharp's initialisation.</summary>
    public DcganModules CreateDcgan()
    {
        if (HandWritten) return new(new HandWrittenGenerator(), new HandWrittenDiscriminator());
        var dcgan = new DcganModules(new DcganGenerator(), new DcganDiscriminator());
        if (TorchInit)
            foreach (var module in dcgan.Generator.modules().Concat(dcgan.Discriminator.modules()))
                ResetToTorchDefault(module);
        return dcgan;
    }

    /// <summary>PyTorch's default initialisation: kaiming_uniform_(a = √5) for weights, U(±1/√fan_in) for biases.</summary>
    private static void ResetToTorchDefault(nn.Module module)
    {
        switch (module)
        {
            case TorchSharp.Modules.Convolution convolution:
                convolution.reset_parameters();
                break;
            case TorchSharp.Modules.Linear linear:
                nn.init.kaiming_uniform_(linear.weight, a: Math.Sqrt(5));
                var bound = 1 / Math.Sqrt(linear.weight.shape[1]);
                if (linear.bias is { } bias) nn.init.uniform_(bias, -bound, bound);
                break;
        }
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
        if (OmpBind is { } bind && NativeEnvironment.Get("OMP_PROC_BIND") != bind)
            throw new InvalidOperationException($"omp-bind={bind} needs OMP_PROC_BIND={bind} at process start; run it through 'compare'.");
        return choice;
    }
}

/// <summary>A DCGAN's two networks, disposed together.</summary>
internal sealed record DcganModules(nn.Module<Tensor, Tensor> Generator, nn.Module<Tensor, Tensor> Discriminator) : IDisposable
{
    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
    }
}
