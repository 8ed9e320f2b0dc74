using System.Reflection;

namespace ModelDsl.Tests.NativeLoading;

/// <summary>Native libraries the tests inspect: the package original and the build-output copies.</summary>
internal static class NativeTestFiles
{
    public const string GlibcxxVersion = "GLIBCXX_3.4.32";

    /// <summary>libLibTorchSharp.so as TorchSharp's package ships it, in the NuGet cache.</summary>
    public static string PackageLibTorchSharp { get; } = typeof(NativeTestFiles).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "LibTorchSharpPackageFile").Value!;

    public static string OutputFile(string name) => Path.Combine(AppContext.BaseDirectory, name);
}

/// <summary>A folder under the system temp folder, deleted with its contents on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("modeldsl-native-").FullName;

    public string CopyIn(string source, string? name = null)
    {
        string destination = System.IO.Path.Combine(Path, name ?? System.IO.Path.GetFileName(source));
        File.Copy(source, destination);
        return destination;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
