using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using ModelDsl.Build;
using Xunit;

namespace ModelDsl.Tests.NativeLoading;

[SupportedOSPlatform("linux")]
public class ElfVersionNeedPatchTests
{
    private const string Version = NativeTestFiles.GlibcxxVersion;

    [Fact]
    public void PackageLibraryNeedsGlibcxx3432FromLibstdcxxNonWeakly()
    {
        var needs = ElfSymbolVersions.ReadVersionNeeds(File.ReadAllBytes(NativeTestFiles.PackageLibTorchSharp));

        var need = Assert.Single(needs, n => n.Version == Version);
        Assert.Equal("libstdc++.so.6", need.Library);
        Assert.False(need.IsWeak);
        Assert.Contains(needs, n => n.Library == "libc.so.6" && n.Version == "GLIBC_2.34");
    }

    [Fact]
    public void WeakenMarksOnlyThatNeedWeakAndChangesOneByte()
    {
        using var temp = new TempFolder();
        string path = temp.CopyIn(NativeTestFiles.PackageLibTorchSharp);
        byte[] original = File.ReadAllBytes(path);

        var result = VersionNeedWeakener.Weaken(path, Version, () => true);

        Assert.Equal(WeakenOutcome.Weakened, result.Outcome);
        Assert.Equal($"marked {Version} weak in {path}", result.Message);
        byte[] patched = File.ReadAllBytes(path);
        var before = ElfSymbolVersions.ReadVersionNeeds(original);
        var after = ElfSymbolVersions.ReadVersionNeeds(patched);
        Assert.Equal(before.Select(n => (n.Library, n.Version)), after.Select(n => (n.Library, n.Version)));
        foreach (var (old, @new) in before.Zip(after))
        {
            ushort expectedFlags = old.Version == Version ? (ushort)(old.Flags | ElfSymbolVersions.VerFlagWeak) : old.Flags;
            Assert.Equal(expectedFlags, @new.Flags);
        }

        int flagsOffset = before.Single(n => n.Version == Version).FlagsOffset;
        Assert.Equal(original.Length, patched.Length);
        var changedOffsets = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]);
        Assert.Equal(flagsOffset, Assert.Single(changedOffsets));
    }

    [Fact]
    public void SecondWeakenIsANoOp()
    {
        using var temp = new TempFolder();
        string path = temp.CopyIn(NativeTestFiles.PackageLibTorchSharp);
        VersionNeedWeakener.Weaken(path, Version, () => true);
        byte[] once = File.ReadAllBytes(path);
        var onceWritten = File.GetLastWriteTimeUtc(path);
        var shouldWeakenCalls = 0;

        var result = VersionNeedWeakener.Weaken(path, Version, () => ++shouldWeakenCalls > 0);

        Assert.Equal(WeakenOutcome.AlreadyWeak, result.Outcome);
        Assert.Equal(0, shouldWeakenCalls);
        Assert.Equal(once, File.ReadAllBytes(path));
        Assert.Equal(onceWritten, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void WeakenKeepsModeAndModificationTime()
    {
        using var temp = new TempFolder();
        string path = temp.CopyIn(NativeTestFiles.PackageLibTorchSharp);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
        var packageTime = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, packageTime);

        VersionNeedWeakener.Weaken(path, Version, () => true);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.Equal(packageTime, File.GetLastWriteTimeUtc(path));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.modeldsl-tmp"));
    }

    [Fact]
    public void WeakenReplacesAHardLinkInsteadOfWritingThroughIt()
    {
        using var temp = new TempFolder();
        string cached = temp.CopyIn(NativeTestFiles.PackageLibTorchSharp, "cached.so");
        string output = Path.Combine(temp.Path, "output.so");
        Assert.Equal(0, CreateHardLink(cached, output));

        var result = VersionNeedWeakener.Weaken(output, Version, () => true);

        Assert.Equal(WeakenOutcome.Weakened, result.Outcome);
        Assert.Equal(File.ReadAllBytes(NativeTestFiles.PackageLibTorchSharp), File.ReadAllBytes(cached));
        Assert.True(IsWeak(output));
    }

    [Fact]
    public void WeakenReplacesASymlinkInsteadOfWritingThroughIt()
    {
        using var temp = new TempFolder();
        string cached = temp.CopyIn(NativeTestFiles.PackageLibTorchSharp, "cached.so");
        var packageTime = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(cached, packageTime);
        string output = Path.Combine(temp.Path, "output.so");
        File.CreateSymbolicLink(output, cached);

        var result = VersionNeedWeakener.Weaken(output, Version, () => true);

        Assert.Equal(WeakenOutcome.Weakened, result.Outcome);
        Assert.Equal(File.ReadAllBytes(NativeTestFiles.PackageLibTorchSharp), File.ReadAllBytes(cached));
        Assert.Null(new FileInfo(output).LinkTarget);
        Assert.True(IsWeak(output));
        // The time of the file behind the link, which MSBuild's Copy compares against.
        Assert.Equal(packageTime, File.GetLastWriteTimeUtc(output));
    }

    [Fact]
    public void DeclinedWeakenLeavesTheFileAlone()
    {
        using var temp = new TempFolder();
        string path = temp.CopyIn(NativeTestFiles.PackageLibTorchSharp);

        var result = VersionNeedWeakener.Weaken(path, Version, () => false);

        Assert.Equal(WeakenOutcome.Declined, result.Outcome);
        Assert.Equal(File.ReadAllBytes(NativeTestFiles.PackageLibTorchSharp), File.ReadAllBytes(path));
    }

    [Fact]
    public void LibraryWithoutThatNeedIsLeftAlone()
    {
        using var temp = new TempFolder();
        string path = temp.CopyIn(NativeTestFiles.OutputFile("libtorch.so"));
        byte[] original = File.ReadAllBytes(path);

        var result = VersionNeedWeakener.Weaken(path, Version, () => true);

        Assert.Equal(WeakenOutcome.NotNeeded, result.Outcome);
        Assert.Equal(original, File.ReadAllBytes(path));
    }

    public static TheoryData<string, byte[]> InvalidFiles()
    {
        byte[] library = File.ReadAllBytes(NativeTestFiles.PackageLibTorchSharp);
        byte[] elf32 = library[..64];
        elf32[4] = 1;
        byte[] sectionTableCut = library[..(library.Length - 100)];
        var firstLibstdcxxNeed = ElfSymbolVersions.ReadVersionNeeds(library).First(n => n.Library == "libstdc++.so.6");
        // vna_next (8 bytes after vna_flags) of a Vernaux that has successors.
        int nextAuxOffset = firstLibstdcxxNeed.FlagsOffset + 8;
        byte[] auxChainLeavesSection = (byte[])library.Clone();
        BitConverter.GetBytes(0x7fff_0000u).CopyTo(auxChainLeavesSection, nextAuxOffset);
        byte[] auxChainEndsEarly = (byte[])library.Clone();
        BitConverter.GetBytes(0u).CopyTo(auxChainEndsEarly, nextAuxOffset);
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "text", "not a library"u8.ToArray() },
            { "magic only", [0x7f, (byte)'E', (byte)'L', (byte)'F'] },
            { "ELF32", elf32 },
            { "section table cut off", sectionTableCut },
            { "Vernaux outside the section", auxChainLeavesSection },
            { "Vernaux chain ends early", auxChainEndsEarly },
        };
    }

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void InvalidFileGivesAClearFailureAndStaysUnchanged(string name, byte[] content)
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, name + ".so");
        File.WriteAllBytes(path, content);

        var result = VersionNeedWeakener.Weaken(path, Version, () => true);

        Assert.Equal(WeakenOutcome.Failed, result.Outcome);
        Assert.StartsWith($"{path} is not a valid ELF64 shared library: ", result.Message);
        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public void MissingFileGivesAFailureNotAnException()
    {
        using var temp = new TempFolder();

        var result = VersionNeedWeakener.Weaken(Path.Combine(temp.Path, "absent.so"), Version, () => true);

        Assert.Equal(WeakenOutcome.Failed, result.Outcome);
        Assert.StartsWith("cannot read ", result.Message);
    }

    [Fact]
    public void HostLibstdcxxIsFoundAndItsVersionDefinitionsRead()
    {
        string? libstdcxx = HostLibstdcxx.Locate();

        Assert.NotNull(libstdcxx);
        var definitions = ElfSymbolVersions.ReadVersionDefinitions(File.ReadAllBytes(libstdcxx));
        Assert.Contains("libstdc++.so.6", definitions);
        Assert.Contains("GLIBCXX_3.4", definitions);
        Assert.Contains("CXXABI_1.3", definitions);
    }

    [Fact]
    public void MappedLibstdcxxIsFoundInProcMaps()
    {
        string[] maps =
        [
            "7f0000000000-7f0000001000 r--p 00000000 fe:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f0000001000-7f0000002000 r-xp 00001000 fe:01 2 /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30",
            "7f0000003000-7f0000004000 rw-p 00000000 00:00 0 [heap]",
        ];

        Assert.Equal("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", HostLibstdcxx.FindMapped(maps));
        Assert.Null(HostLibstdcxx.FindMapped(maps[..1]));
    }

    [Fact]
    public void LdconfigListingEntryIsPickedByArchitecture()
    {
        string[] listing =
        [
            "1234 libs found in cache `/etc/ld.so.cache'",
            "\tlibstdc++.so.6 (libc6) => /lib/i386-linux-gnu/libstdc++.so.6",
            "\tlibstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6",
            "\tlibstdc++.so.6 (libc6,AArch64) => /lib/aarch64-linux-gnu/libstdc++.so.6",
            "\tlibstdc++.so (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so",
        ];

        Assert.Equal("/lib/x86_64-linux-gnu/libstdc++.so.6", HostLibstdcxx.FindInLdconfigCacheListing(listing, Architecture.X64));
        Assert.Equal("/lib/aarch64-linux-gnu/libstdc++.so.6", HostLibstdcxx.FindInLdconfigCacheListing(listing, Architecture.Arm64));
        Assert.Null(HostLibstdcxx.FindInLdconfigCacheListing(listing[..2], Architecture.X64));
    }

    private static bool IsWeak(string path) =>
        ElfSymbolVersions.ReadVersionNeeds(File.ReadAllBytes(path)).Single(n => n.Version == Version).IsWeak;

    [DllImport("libc", EntryPoint = "link")]
    private static extern int CreateHardLink(string existing, string newPath);
}
