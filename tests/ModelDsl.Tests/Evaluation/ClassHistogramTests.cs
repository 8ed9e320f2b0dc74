using ModelDsl.Evaluation;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Evaluation;

/// <summary>Counting predicted classes and flagging uneven ones.</summary>
public sealed class ClassHistogramTests
{
    [Fact]
    public void Counts_shares_and_chi_square_match_the_hand_computed_values()
    {
        using var predicted = tensor(new long[] { 0, 0, 0, 1, 2, 2, 0, 1 });
        var histogram = ClassHistogram.Of(predicted, 4);

        Assert.Equal([4L, 2, 2, 0], histogram.Counts);
        Assert.Equal([0.5, 0.25, 0.25, 0], histogram.Shares);
        // Expected 2 of each: (4−2)²/2 + 0 + 0 + (0−2)²/2.
        Assert.Equal(4, histogram.ChiSquare([0.25, 0.25, 0.25, 0.25]), 1e-12);
        Assert.True(histogram.SuggestsModeCollapse);
    }

    [Fact]
    public void Near_even_classes_do_not_suggest_mode_collapse()
    {
        using var predicted = arange(0, 1000, ScalarType.Int64).remainder(10);
        var histogram = ClassHistogram.Of(predicted, 10);
        Assert.Equal(0.1, histogram.MinShare, 1e-12);
        Assert.Equal(0, histogram.ChiSquare(histogram.Shares), 1e-12);
        Assert.False(histogram.SuggestsModeCollapse);
    }

    [Fact]
    public void Classes_outside_the_range_are_refused()
    {
        using var predicted = tensor(new long[] { 0, 10 });
        Assert.Throws<ArgumentException>(() => ClassHistogram.Of(predicted, 10));
    }

    [Fact]
    public void Chi_square_against_a_class_expected_never_is_refused()
    {
        using var predicted = tensor(new long[] { 0, 1 });
        Assert.Throws<ArgumentException>(() => ClassHistogram.Of(predicted, 2).ChiSquare([1, 0]));
    }
}
