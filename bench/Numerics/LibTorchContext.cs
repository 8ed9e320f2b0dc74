using System.Runtime.InteropServices;

namespace ModelDsl.Bench.Numerics;

/// <summary>
/// Switches of libtorch's <c>at::Context</c> that TorchSharp does not expose, called through their
/// mangled C++ names in libtorch_cpu.so (libtorch 2.10, Itanium ABI: <c>this</c> is the first argument).
/// Diagnostics for the bench only; the product does not depend on C++ symbol names.
/// </summary>
internal static partial class LibTorchContext
{
    private const string Library = "libtorch_cpu.so";

    /// <summary><c>torch.backends.mkldnn.enabled</c>: false sends convolutions to ATen's own kernels.</summary>
    public static void SetMkldnnEnabled(bool enabled) => SetUserEnabledMkldnn(GlobalContext(), enabled);

    /// <summary>Read back, to check the call reached the context.</summary>
    public static bool MkldnnEnabled => UserEnabledMkldnn(GlobalContext());

    [LibraryImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial nint GlobalContext();

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(nint context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabledMkldnn(nint context);
}
