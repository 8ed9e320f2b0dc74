using System.Runtime.InteropServices;

namespace ModelDsl.Numerics;

/// <summary>
/// The C environment that native code reads with <c>getenv</c>. On Linux,
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> only changes .NET's own copy,
/// so oneDNN and libgomp would never see it.
/// </summary>
public static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> in the process's C environment (and .NET's copy, so both agree).</summary>
    public static void Set(string name, string value)
    {
        if (OperatingSystem.IsWindows())
        {
            // The CRT's environment on Windows is not what libtorch reads either; .NET's copy is the process environment there.
            Environment.SetEnvironmentVariable(name, value);
            return;
        }
        if (SetEnv(name, value, overwrite: 1) != 0)
            throw new InvalidOperationException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>The value native code would read, or null when unset.</summary>
    public static string? Get(string name) =>
        OperatingSystem.IsWindows() ? Environment.GetEnvironmentVariable(name) : Marshal.PtrToStringUTF8(GetEnv(name));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);
}
