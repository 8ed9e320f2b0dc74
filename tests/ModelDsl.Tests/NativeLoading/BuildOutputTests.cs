using System.IO.Compression;
using System.Text.Json.Nodes;
using ModelDsl.Build;
using Xunit;

namespace ModelDsl.Tests.NativeLoading;

/// <summary>What ModelDsl.targets did to this test project's own output folder.</summary>
public class BuildOutputTests
{
    [Fact]
    public void OutputLibTorchSharpIsWeakenedExactlyWhenThisMachineLacksTheVersion()
    {
        string libstdcxx = HostLibstdcxx.Locate()!;
        bool hostLacksVersion = !ElfSymbolVersions.ReadVersionDefinitions(File.ReadAllBytes(libstdcxx)).Contains(NativeTestFiles.GlibcxxVersion);
        byte[] package = File.ReadAllBytes(NativeTestFiles.PackageLibTorchSharp);
        byte[] output = File.ReadAllBytes(NativeTestFiles.OutputFile("libLibTorchSharp.so"));

        var outputNeed = ElfSymbolVersions.ReadVersionNeeds(output).Single(n => n.Version == NativeTestFiles.GlibcxxVersion);

        Assert.Equal(hostLacksVersion, outputNeed.IsWeak);
        var changedOffsets = Enumerable.Range(0, package.Length).Where(i => package[i] != output[i]);
        Assert.Equal(hostLacksVersion ? [outputNeed.FlagsOffset] : Array.Empty<int>(), changedOffsets);
    }

    [Fact]
    public void NuGetCacheCopyIsStillByteIdenticalToThePackage()
    {
        // runtimes/linux-x64/native/libLibTorchSharp.so -> the package folder holding the .nupkg.
        string packageFolder = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(NativeTestFiles.PackageLibTorchSharp)!, "..", "..", ".."));
        string nupkg = Assert.Single(Directory.GetFiles(packageFolder, "*.nupkg"));
        using var archive = ZipFile.OpenRead(nupkg);
        using var entry = archive.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so")!.Open();
        using var packed = new MemoryStream();
        entry.CopyTo(packed);

        Assert.Equal(packed.ToArray(), File.ReadAllBytes(NativeTestFiles.PackageLibTorchSharp));
    }

    [Theory]
    [InlineData("libtorch_python.so")]
    [InlineData("libshm.so")]
    [InlineData("libjitbackend_test.so")]
    [InlineData("libtorchbind_test.so")]
    [InlineData("libbackend_with_compiler.so")]
    [InlineData("libnnapi_backend.so")]
    [InlineData("libaoti_custom_ops.so")]
    public void UnneededNativeIsNeitherCopiedNorListedInDepsJson(string library)
    {
        Assert.False(File.Exists(NativeTestFiles.OutputFile(library)));
        Assert.DoesNotContain(library, File.ReadAllText(NativeTestFiles.OutputFile("ModelDsl.Tests.deps.json")));
    }

    // TorchSharp's implicit Scalars are freed by finalizers during the libtorch call that reads them when a background
    // collection completes mid-call (docs/known-issues.md, bench/ScalarLifetime); ModelDsl.targets turns those off.
    [Theory]
    [InlineData("ModelDsl.Tests.runtimeconfig.json")]
    [InlineData("modeldsl-mnist.runtimeconfig.json")]
    public void ProcessesRunWithoutBackgroundGarbageCollection(string runtimeConfig)
    {
        var options = JsonNode.Parse(File.ReadAllText(NativeTestFiles.OutputFile(runtimeConfig)))!["runtimeOptions"]!["configProperties"];

        Assert.Equal("false", options?["System.GC.Concurrent"]?.ToJsonString());
    }
}
