// Compiled twice: by RoslynCodeTaskFactory for ModelDsl.targets (against netstandard2.0 reference
// assemblies, so no records, init accessors or newer BCL APIs), and by ModelDsl.Tests, which defines
// MODELDSL_ELF_ONLY to leave out the MSBuild task and test the ELF logic on its own.
#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace ModelDsl.Build
{
    internal sealed class InvalidElfException : Exception
    {
        public InvalidElfException(string message) : base(message)
        {
        }
    }

    /// <summary>One Vernaux entry of .gnu.version_r: a symbol version the file needs from a library.</summary>
    internal sealed class VersionNeed
    {
        public VersionNeed(string library, string version, ushort flags, int flagsOffset)
        {
            Library = library;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        public string Library { get; }

        public string Version { get; }

        public ushort Flags { get; }

        /// <summary>File offset of vna_flags.</summary>
        public int FlagsOffset { get; }

        public bool IsWeak => (Flags & ElfSymbolVersions.VerFlagWeak) != 0;
    }

    /// <summary>Reads the GNU symbol-versioning tables of an ELF64 image.</summary>
    internal static class ElfSymbolVersions
    {
        public const ushort VerFlagWeak = 0x2;

        private const uint ShtStrtab = 3;
        private const uint ShtNobits = 8;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const int VerneedSize = 16;
        private const int VernauxSize = 16;
        private const int VerdefSize = 20;
        private const int VerdauxSize = 8;

        /// <summary>All entries of .gnu.version_r, in file order; empty when the image has none.</summary>
        public static IReadOnlyList<VersionNeed> ReadVersionNeeds(byte[] image)
        {
            var elf = new ElfImage(image);
            var needs = new List<VersionNeed>();
            var section = elf.FindSection(ShtGnuVerneed);
            if (section == null)
            {
                return needs;
            }

            var strings = elf.StringTableOf(section);
            long entry = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                section.RequireInside(entry, VerneedSize, "Verneed");
                if (elf.U16(entry) != 1)
                {
                    throw new InvalidElfException($"unsupported vn_version {elf.U16(entry)} at 0x{entry:x}");
                }

                ushort auxCount = elf.U16(entry + 2);
                string library = elf.ReadString(strings, elf.U32(entry + 4));
                long aux = entry + elf.U32(entry + 8);
                for (ushort j = 0; j < auxCount; j++)
                {
                    section.RequireInside(aux, VernauxSize, "Vernaux");
                    string version = elf.ReadString(strings, elf.U32(aux + 8));
                    needs.Add(new VersionNeed(library, version, elf.U16(aux + 4), checked((int)(aux + 4))));
                    uint nextAux = elf.U32(aux + 12);
                    if (nextAux == 0 && j + 1 < auxCount)
                    {
                        throw new InvalidElfException($"Vernaux chain of {library} ends after {j + 1} of {auxCount} entries");
                    }

                    aux += nextAux;
                }

                uint next = elf.U32(entry + 12);
                if (next == 0 && i + 1 < section.Info)
                {
                    throw new InvalidElfException($"Verneed chain ends after {i + 1} of {section.Info} entries");
                }

                entry += next;
            }

            return needs;
        }

        /// <summary>The version names defined in .gnu.version_d (including the base entry, the soname).</summary>
        public static IReadOnlyList<string> ReadVersionDefinitions(byte[] image)
        {
            var elf = new ElfImage(image);
            var definitions = new List<string>();
            var section = elf.FindSection(ShtGnuVerdef);
            if (section == null)
            {
                return definitions;
            }

            var strings = elf.StringTableOf(section);
            long entry = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                section.RequireInside(entry, VerdefSize, "Verdef");
                if (elf.U16(entry) != 1)
                {
                    throw new InvalidElfException($"unsupported vd_version {elf.U16(entry)} at 0x{entry:x}");
                }

                // The first Verdaux names the version; later ones name its parents.
                if (elf.U16(entry + 6) > 0)
                {
                    long aux = entry + elf.U32(entry + 12);
                    section.RequireInside(aux, VerdauxSize, "Verdaux");
                    definitions.Add(elf.ReadString(strings, elf.U32(aux)));
                }

                uint next = elf.U32(entry + 16);
                if (next == 0 && i + 1 < section.Info)
                {
                    throw new InvalidElfException($"Verdef chain ends after {i + 1} of {section.Info} entries");
                }

                entry += next;
            }

            return definitions;
        }

        /// <summary>Sets VER_FLG_WEAK in the image bytes of one need.</summary>
        public static void MarkWeak(byte[] image, VersionNeed need) =>
            image[need.FlagsOffset] |= (byte)VerFlagWeak; // the low byte of a little-endian 16-bit field

        private sealed class Section
        {
            public Section(int index, uint type, long offset, long size, uint link, uint info)
            {
                Index = index;
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
                Info = info;
            }

            public int Index { get; }

            public uint Type { get; }

            public long Offset { get; }

            public long Size { get; }

            public uint Link { get; }

            public uint Info { get; }

            public void RequireInside(long offset, int length, string what)
            {
                if (offset < Offset || offset + length > Offset + Size)
                {
                    throw new InvalidElfException($"{what} at 0x{offset:x} lies outside section {Index} (0x{Offset:x}+0x{Size:x})");
                }
            }
        }

        private sealed class ElfImage
        {
            private const int HeaderSize = 64;
            private const int SectionHeaderSize = 64;

            private readonly byte[] _image;
            private readonly List<Section> _sections = new List<Section>();

            public ElfImage(byte[] image)
            {
                _image = image;
                if (image.Length < 4 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
                {
                    throw new InvalidElfException("no ELF magic");
                }

                if (image.Length < HeaderSize)
                {
                    throw new InvalidElfException($"truncated ELF header ({image.Length} bytes)");
                }

                if (image[4] != 2)
                {
                    throw new InvalidElfException($"not ELF64 (EI_CLASS {image[4]})");
                }

                // libtorch ships for little-endian targets only (x86-64, arm64).
                if (image[5] != 1)
                {
                    throw new InvalidElfException($"not little-endian (EI_DATA {image[5]})");
                }

                ReadSectionHeaders();
            }

            public Section? FindSection(uint type) => _sections.FirstOrDefault(s => s.Type == type);

            public Section StringTableOf(Section section)
            {
                if (section.Link == 0 || section.Link >= _sections.Count || _sections[(int)section.Link].Type != ShtStrtab)
                {
                    throw new InvalidElfException($"section {section.Index} links to {section.Link}, which is no string table");
                }

                return _sections[(int)section.Link];
            }

            public string ReadString(Section strings, uint offset)
            {
                long start = strings.Offset + offset;
                long end = strings.Offset + strings.Size;
                for (long i = start; i < end; i++)
                {
                    if (_image[i] == 0)
                    {
                        return Encoding.UTF8.GetString(_image, (int)start, (int)(i - start));
                    }
                }

                throw new InvalidElfException($"string at 0x{offset:x} runs past its string table (section {strings.Index})");
            }

            public ushort U16(long offset)
            {
                Require(offset, 2, "field");
                return (ushort)(_image[offset] | (_image[offset + 1] << 8));
            }

            public uint U32(long offset) => U16(offset) | ((uint)U16(offset + 2) << 16);

            private ulong U64(long offset) => U32(offset) | ((ulong)U32(offset + 4) << 32);

            private long U64WithinFile(long offset, string what)
            {
                ulong value = U64(offset);
                if (value > (ulong)_image.Length)
                {
                    throw new InvalidElfException($"{what} 0x{value:x} lies past the end of the {_image.Length}-byte file (truncated?)");
                }

                return (long)value;
            }

            private void Require(long offset, long length, string what)
            {
                if (offset < 0 || offset + length > _image.Length)
                {
                    throw new InvalidElfException($"{what} at 0x{offset:x}+0x{length:x} runs past the end of the {_image.Length}-byte file (truncated?)");
                }
            }

            private void ReadSectionHeaders()
            {
                long tableOffset = U64WithinFile(0x28, "section header table offset");
                ushort entrySize = U16(0x3a);
                long count = U16(0x3c);
                if (tableOffset == 0)
                {
                    throw new InvalidElfException("no section header table");
                }

                if (entrySize < SectionHeaderSize)
                {
                    throw new InvalidElfException($"section header size {entrySize} < {SectionHeaderSize}");
                }

                if (count == 0)
                {
                    // Extended numbering: the real count is in sh_size of section 0.
                    count = U64WithinFile(tableOffset + 32, "extended section count");
                }

                Require(tableOffset, count * entrySize, "section header table");
                for (int i = 0; i < count; i++)
                {
                    long header = tableOffset + (long)i * entrySize;
                    uint type = U32(header + 4);
                    ulong offset = U64(header + 24);
                    ulong size = U64(header + 32);
                    // SHT_NOBITS (.bss) occupies no file bytes: its size is memory, not file, and is never read.
                    bool inFile = type != ShtNobits;
                    if (inFile && (offset > (ulong)_image.Length || size > (ulong)_image.Length - offset))
                    {
                        throw new InvalidElfException($"section {i} (0x{offset:x}+0x{size:x}) runs past the end of the {_image.Length}-byte file");
                    }

                    _sections.Add(new Section(i, type, inFile ? (long)offset : 0, inFile ? (long)size : 0, U32(header + 40), U32(header + 44)));
                }
            }
        }
    }

    internal enum WeakenOutcome
    {
        Weakened,
        AlreadyWeak,
        NotNeeded,
        Declined,
        Failed,
    }

    internal sealed class WeakenResult
    {
        public WeakenResult(WeakenOutcome outcome, string message)
        {
            Outcome = outcome;
            Message = message;
        }

        public WeakenOutcome Outcome { get; }

        public string Message { get; }
    }

    internal static class VersionNeedWeakener
    {
        /// <summary>
        /// Marks <paramref name="version"/> weak in the file's version needs when the file needs it non-weakly
        /// and <paramref name="shouldWeaken"/> agrees. Never throws for a bad or unreadable file.
        /// </summary>
        public static WeakenResult Weaken(string path, string version, Func<bool> shouldWeaken)
        {
            byte[] image;
            List<VersionNeed> needs;
            try
            {
                image = File.ReadAllBytes(path);
                needs = ElfSymbolVersions.ReadVersionNeeds(image).Where(n => n.Version == version).ToList();
            }
            catch (InvalidElfException e)
            {
                return new WeakenResult(WeakenOutcome.Failed, $"{path} is not a valid ELF64 shared library: {e.Message}");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return new WeakenResult(WeakenOutcome.Failed, $"cannot read {path}: {e.Message}");
            }

            if (needs.Count == 0)
            {
                return new WeakenResult(WeakenOutcome.NotNeeded, $"{path} does not need {version}");
            }

            var required = needs.Where(n => !n.IsWeak).ToList();
            if (required.Count == 0)
            {
                return new WeakenResult(WeakenOutcome.AlreadyWeak, $"{version} is already weak in {path}");
            }

            if (!shouldWeaken())
            {
                return new WeakenResult(WeakenOutcome.Declined, $"left {version} required in {path}");
            }

            foreach (var need in required)
            {
                ElfSymbolVersions.MarkWeak(image, need);
            }

            return Replace(path, image, version);
        }

        // Writes a sibling file and renames it over the original: a hard link or symlink into the NuGet cache
        // is replaced, never written through, and readers never see a half-written library.
        private static WeakenResult Replace(string path, byte[] image, string version)
        {
            string temporary = path + ".modeldsl-tmp";
            try
            {
                // Copying first takes over the mode and modification time of the file behind any link, which
                // netstandard2.0 cannot read through a symlink or set directly.
                File.Copy(path, temporary, overwrite: true);
                var packageFileTime = File.GetLastWriteTimeUtc(temporary);
                using (var stream = new FileStream(temporary, FileMode.Truncate, FileAccess.Write))
                {
                    stream.Write(image, 0, image.Length);
                }

                // Keeping the package file's time lets MSBuild's Copy (SkipUnchangedFiles compares size and time)
                // treat the patched file as up to date, so the next build neither re-copies nor re-patches it.
                File.SetLastWriteTimeUtc(temporary, packageFileTime);
                File.Replace(temporary, path, destinationBackupFileName: null);
                return new WeakenResult(WeakenOutcome.Weakened, $"marked {version} weak in {path}");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                File.Delete(temporary);
                return new WeakenResult(WeakenOutcome.Failed, $"cannot rewrite {path}: {e.Message}");
            }
        }
    }

    /// <summary>Finds the libstdc++.so.6 that a .NET process on this machine binds to.</summary>
    internal static class HostLibstdcxx
    {
        private const string Soname = "libstdc++.so.6";

        /// <summary>
        /// The .NET host links libstdc++, so the copy mapped into this (MSBuild) process is the one an app's
        /// libLibTorchSharp.so will share; ldconfig's cache covers a host that does not map it.
        /// </summary>
        public static string? Locate() => FindMapped(ReadLinesOrEmpty("/proc/self/maps")) ?? FindInLdconfigCache();

        public static string? FindMapped(IEnumerable<string> mapsLines)
        {
            foreach (string line in mapsLines)
            {
                int pathStart = line.IndexOf('/');
                if (pathStart >= 0 && Path.GetFileName(line.Substring(pathStart)).StartsWith(Soname, StringComparison.Ordinal))
                {
                    return line.Substring(pathStart);
                }
            }

            return null;
        }

        /// <summary>Picks the entry for this process's architecture from `ldconfig -p` output.</summary>
        public static string? FindInLdconfigCacheListing(IEnumerable<string> listing, Architecture architecture)
        {
            string? tag = architecture == Architecture.X64 ? "x86-64" : architecture == Architecture.Arm64 ? "AArch64" : null;
            foreach (string line in listing)
            {
                string trimmed = line.Trim();
                int arrow = trimmed.IndexOf(" => ", StringComparison.Ordinal);
                if (arrow < 0 || !trimmed.StartsWith(Soname + " (", StringComparison.Ordinal))
                {
                    continue;
                }

                string flags = trimmed.Substring(Soname.Length, arrow - Soname.Length);
                if (tag == null || flags.Contains(tag))
                {
                    return trimmed.Substring(arrow + 4);
                }
            }

            return null;
        }

        private static string? FindInLdconfigCache()
        {
            // Not on a non-root PATH on Debian, hence the absolute paths.
            string? ldconfig = new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" }.FirstOrDefault(File.Exists);
            if (ldconfig == null)
            {
                return null;
            }

            var start = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            using (var process = Process.Start(start))
            {
                if (process == null)
                {
                    return null;
                }

                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                return FindInLdconfigCacheListing(output.Split('\n'), RuntimeInformation.ProcessArchitecture);
            }
        }

        private static IEnumerable<string> ReadLinesOrEmpty(string path) =>
            File.Exists(path) ? File.ReadAllLines(path) : Array.Empty<string>();
    }
}

#if !MODELDSL_ELF_ONLY
namespace ModelDsl.Build
{
    using Microsoft.Build.Framework;
    using Microsoft.Build.Utilities;

    /// <summary>
    /// Makes libLibTorchSharp.so loadable where libstdc++ predates GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04):
    /// the only symbol behind that need is std::ios_base_library_init(), which GCC 13's &lt;iostream&gt; references
    /// but never calls, so a weak need lets the loader accept an older libstdc++.
    /// </summary>
    public sealed class ModelDslWeakenGlibcxxNeed : Task
    {
        private const string Version = "GLIBCXX_3.4.32";
        private const string WarningCode = "MODELDSL001";

        private bool? _hostLacksVersion;

        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            foreach (var file in Files)
            {
                string path = file.GetMetadata("FullPath");
                if (!File.Exists(path))
                {
                    Log.LogMessage(MessageImportance.Low, $"ModelDsl: {path} does not exist; nothing to patch");
                    continue;
                }

                // Only a convenience for loading: whatever goes wrong must not fail the build.
                try
                {
                    Report(VersionNeedWeakener.Weaken(path, Version, HostLacksVersion));
                }
                catch (Exception e)
                {
                    Log.LogWarning(null, WarningCode, null, path, 0, 0, 0, 0, $"ModelDsl: could not patch {path}: {e.Message}");
                }
            }

            return !Log.HasLoggedErrors;
        }

        private void Report(WeakenResult result)
        {
            switch (result.Outcome)
            {
                case WeakenOutcome.Weakened:
                    Log.LogMessage(MessageImportance.Normal, "ModelDsl: " + result.Message);
                    break;
                case WeakenOutcome.Failed:
                    Log.LogWarning(null, WarningCode, null, null, 0, 0, 0, 0, $"ModelDsl: {result.Message}; TorchSharp may fail to load on this machine");
                    break;
                default:
                    Log.LogMessage(MessageImportance.Low, "ModelDsl: " + result.Message);
                    break;
            }
        }

        private bool HostLacksVersion()
        {
            if (_hostLacksVersion == null)
            {
                _hostLacksVersion = CheckHostLacksVersion();
            }

            return _hostLacksVersion.Value;
        }

        private bool CheckHostLacksVersion()
        {
            string? libstdcxx = HostLibstdcxx.Locate();
            if (libstdcxx == null)
            {
                Log.LogWarning(null, WarningCode, null, null, 0, 0, 0, 0, $"ModelDsl: cannot find this machine's libstdc++.so.6, so cannot tell whether it defines {Version}; leaving libLibTorchSharp.so as shipped");
                return false;
            }

            try
            {
                bool defines = ElfSymbolVersions.ReadVersionDefinitions(File.ReadAllBytes(libstdcxx)).Contains(Version);
                Log.LogMessage(MessageImportance.Low, $"ModelDsl: {libstdcxx} {(defines ? "defines" : "lacks")} {Version}");
                return !defines;
            }
            catch (Exception e) when (e is InvalidElfException || e is IOException || e is UnauthorizedAccessException)
            {
                Log.LogWarning(null, WarningCode, null, libstdcxx, 0, 0, 0, 0, $"ModelDsl: cannot read the version definitions of {libstdcxx}: {e.Message}; leaving libLibTorchSharp.so as shipped");
                return false;
            }
        }
    }
}
#endif
