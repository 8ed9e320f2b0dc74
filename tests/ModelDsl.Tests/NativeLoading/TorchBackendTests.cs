using System.Diagnostics;
using System.Text.Json;

namespace ModelDsl.Tests.NativeLoading;

/// <summary>
/// The -p:TorchBackend switch, read by evaluating the app's and the library's projects (the CUDA package is not
/// served on CI's machines, so it is never restored here).
/// </summary>
public class TorchBackendTests
{
    [Theory]
    [InlineData("cpu", "libtorch-cpu-linux-x64")]
    [InlineData("cuda", "libtorch-cuda-12.8-linux-x64")]
    public void The_backend_chooses_the_one_libtorch_package(string backend, string libtorch)
    {
        Assert.Equal([libtorch], LibTorchReferences(App, backend));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cuda")]
    public void The_library_packed_as_ModelDsl_references_no_libtorch_build(string backend)
    {
        Assert.Empty(LibTorchReferences(Library, backend));
    }

    [Fact]
    public void A_misspelt_backend_fails_instead_of_building_for_the_cpu()
    {
        var (exitCode, output) = MSBuild(App, "-t:CollectPackageReferences", "-p:TorchBackend=gpu");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("TorchBackend must be cpu or cuda, not 'gpu'.", output);
    }

    private static readonly string App = Path.Combine(RepoRoot.Path, "src", "Models.Mnist", "Models.Mnist.csproj");
    private static readonly string Library = Path.Combine(RepoRoot.Path, "src", "ModelDsl.Runtime", "ModelDsl.Runtime.csproj");

    private static IEnumerable<string> LibTorchReferences(string project, string backend)
    {
        var (exitCode, output) = MSBuild(project, "-getItem:PackageReference", $"-p:TorchBackend={backend}");
        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(r => r.GetProperty("Identity").GetString()!)
            .Where(r => r.StartsWith("libtorch", StringComparison.Ordinal))
            .ToList();
    }

    private static (int ExitCode, string Output) MSBuild(string project, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("msbuild");
        start.ArgumentList.Add(project);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var msbuild = Process.Start(start)!;
        var error = msbuild.StandardError.ReadToEndAsync();
        var output = msbuild.StandardOutput.ReadToEnd();
        msbuild.WaitForExit();
        return (msbuild.ExitCode, output + error.Result);
    }
}
