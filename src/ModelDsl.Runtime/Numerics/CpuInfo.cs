using System.Runtime.Intrinsics.X86;
using System.Text;

namespace ModelDsl.Numerics;

/// <summary>The facts about the CPU that decide which oneDNN kernels are safe (read with CPUID).</summary>
/// <param name="Vendor">CPUID vendor string: "GenuineIntel", "AuthenticAMD", … ("" off x86).</param>
/// <param name="Family">Display family (base + extended).</param>
/// <param name="Model">Display model (base + extended).</param>
/// <param name="Brand">The processor brand string.</param>
/// <param name="HasAvx512">AVX-512 Foundation usable (CPU and OS).</param>
/// <param name="HasAmx">AMX tiles (Sapphire Rapids and later).</param>
public sealed record CpuInfo(string Vendor, int Family, int Model, string Brand, bool HasAvx512, bool HasAmx)
{
    /// <summary>The CPU this process runs on.</summary>
    public static CpuInfo Current { get; } = Read();

    /// <summary>True for AMD processors.</summary>
    public bool IsAmd => Vendor == "AuthenticAMD";

    /// <summary>"AuthenticAMD family 26 model 2 (AMD EPYC …), AVX-512" — for logs and bug reports.</summary>
    public override string ToString() =>
        $"{Vendor} family {Family} model {Model} ({Brand}){(HasAvx512 ? ", AVX-512" : "")}{(HasAmx ? ", AMX" : "")}";

    private static CpuInfo Read()
    {
        if (!X86Base.IsSupported) return new CpuInfo("", 0, 0, System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), false, false);

        var (maxLeaf, vendorB, vendorC, vendorD) = X86Base.CpuId(0, 0);
        var vendor = Ascii(vendorB, vendorD, vendorC);

        var (signature, _, _, _) = X86Base.CpuId(1, 0);
        var baseFamily = (signature >> 8) & 0xF;
        var family = baseFamily == 0xF ? baseFamily + ((signature >> 20) & 0xFF) : baseFamily;
        var model = (signature >> 4) & 0xF;
        if (baseFamily is 0x6 or 0xF) model |= ((signature >> 16) & 0xF) << 4;

        // Leaf 7, EDX bit 24: AMX-TILE.
        var hasAmx = maxLeaf >= 7 && (X86Base.CpuId(7, 0).Edx & (1 << 24)) != 0;

        var brand = new StringBuilder();
        if ((uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax >= 0x80000004)
            for (var leaf = 0x80000002; leaf <= 0x80000004; leaf++)
            {
                var (a, b, c, d) = X86Base.CpuId(unchecked((int)leaf), 0);
                brand.Append(Ascii(a, b, c, d));
            }

        return new CpuInfo(vendor, family, model, brand.ToString().Trim('\0', ' '), Avx512F.IsSupported, hasAmx);
    }

    private static string Ascii(params int[] registers)
    {
        var bytes = new byte[registers.Length * 4];
        for (var i = 0; i < registers.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), registers[i]);
        return Encoding.ASCII.GetString(bytes).TrimEnd('\0');
    }
}
