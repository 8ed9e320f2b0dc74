using TorchSharp;

namespace ModelDsl;

/// <summary>Turns a device choice as a user writes it (<c>cpu</c>, <c>cuda</c> or <c>auto</c>) into a TorchSharp device.</summary>
public static class DeviceChoice
{
    /// <summary>The names <see cref="Select(string)"/> accepts, in the order a help text lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cpu", "cuda", "auto"];

    /// <summary><c>cpu</c>, <c>cuda</c>, or <c>auto</c> (CUDA where <c>torch.cuda.is_available()</c>, else the CPU); case-insensitive.</summary>
    /// <exception cref="ArgumentException"><paramref name="choice"/> is none of <see cref="Names"/>.</exception>
    /// <exception cref="DeviceUnavailableException">CUDA is asked for but not available.</exception>
    public static torch.Device Select(string choice) => Select(choice, torch.cuda.is_available);

    // torch.CUDA would load libtorch's CUDA backend at once; the first tensor moved there does that instead.
    private static torch.Device Cuda => new(DeviceType.CUDA);

    /// <param name="cudaAvailable">Asked only when the choice depends on it, since it loads libtorch's CUDA support.</param>
    internal static torch.Device Select(string choice, Func<bool> cudaAvailable) => choice.ToLowerInvariant() switch
    {
        "cpu" => torch.CPU,
        "cuda" => cudaAvailable() ? Cuda : throw new DeviceUnavailableException(
            "Device 'cuda' was asked for, but torch.cuda.is_available() is false (no NVIDIA GPU or driver, or a CPU-only libtorch): " +
            "use cpu or auto, or build with -p:TorchBackend=cuda on a machine with an NVIDIA driver."),
        "auto" => cudaAvailable() ? Cuda : torch.CPU,
        _ => throw new ArgumentException($"Unknown device '{choice}': use {string.Join(", ", Names)}.", nameof(choice)),
    };
}

/// <summary>The device asked for cannot be used on this machine; the message says why in one line.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);
