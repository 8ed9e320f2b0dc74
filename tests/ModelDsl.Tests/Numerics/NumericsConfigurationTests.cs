using ModelDsl.Numerics;

namespace ModelDsl.Tests.Numerics;

public class NumericsConfigurationTests
{
    [Theory]
    [InlineData("native", null, null)]
    [InlineData(" Native ", null, null)]
    [InlineData("isa=avx2", "AVX2", null)]
    [InlineData("isa=AVX512_CORE_BF16", "AVX512_CORE_BF16", null)]
    [InlineData("threads=1", null, 1)]
    [InlineData("isa=avx2_vnni+threads=2", "AVX2_VNNI", 2)]
    public void Parses_native_and_items_joined_by_plus(string text, string? isa, int? threads) =>
        Assert.Equal(new NumericsConfiguration(isa, threads), NumericsConfiguration.Parse(text));

    [Theory]
    [InlineData("native", HeapMode.Reuse)]
    [InlineData("heap=reuse", HeapMode.Reuse)]
    [InlineData("HEAP=System", HeapMode.System)]
    [InlineData("isa=avx2+heap=system", HeapMode.System)]
    public void Heap_is_reused_unless_the_system_allocator_is_asked_for(string text, HeapMode heap) =>
        Assert.Equal(heap, NumericsConfiguration.Parse(text).Heap);

    [Theory]
    [InlineData("native")]
    [InlineData("isa=AVX2")]
    [InlineData("threads=3")]
    [InlineData("isa=AVX512_CORE+threads=1")]
    [InlineData("heap=system")]
    [InlineData("isa=AVX2+threads=1+heap=system")]
    public void ToString_reads_back(string text) => Assert.Equal(text, NumericsConfiguration.Parse(text).ToString());

    [Theory]
    [InlineData("isa=avx3", "Unknown oneDNN ISA level 'avx3'")]
    [InlineData("threads=0", "positive integer")]
    [InlineData("threads=two", "positive integer")]
    [InlineData("fast", "Unknown numerics setting 'fast'")]
    [InlineData("heap=pooled", "heap must be 'reuse' or 'system', not 'pooled'")]
    [InlineData("heap=2", "heap must be 'reuse' or 'system', not '2'")]
    public void Rejects_invalid_settings_naming_the_culprit(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => NumericsConfiguration.Parse(text)).Message);
}
