using ModelDsl.Evaluation;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Evaluation;

/// <summary>Intra-class Fréchet distances and the spread ratio against their closed forms.</summary>
public sealed class ClassVarietyTests : IDisposable
{
    private const int Classes = 3;
    private const int PerClass = 40;
    private const int Dimension = 5;
    private readonly Tensor _features;
    private readonly Tensor _classes;
    private readonly IReadOnlyList<FeatureStatistics> _real;

    public ClassVarietyTests()
    {
        using var random = new TorchSharp.torch.Generator(3);
        // Each class its own cloud: class c centred on c in every feature.
        _classes = arange(Classes, dtype: ScalarType.Int64).repeat_interleave(PerClass);
        _features = randn([Classes * PerClass, Dimension], ScalarType.Float64, generator: random) + _classes.unsqueeze(1).to(ScalarType.Float64);
        _real = ClassVariety.PerClass(_features, _classes, Classes);
    }

    public void Dispose()
    {
        _features.Dispose();
        _classes.Dispose();
    }

    [Fact]
    public void Identical_sets_are_at_distance_zero_with_the_real_spread()
    {
        var variety = ClassVariety.Measure(_features, _classes, _real);

        Assert.All(variety.FrechetPerClass, d => Assert.InRange(d!.Value, 0, 1e-9));
        Assert.All(variety.SpreadPerClass, r => Assert.Equal(1, r!.Value, 1e-12));
        Assert.InRange(variety.FrechetMean!.Value, 0, 1e-9);
        Assert.Equal(1, variety.SpreadRatio!.Value, 1e-12);
    }

    [Fact]
    public void A_class_shifted_by_a_constant_vector_is_at_its_squared_norm_and_spreads_as_before()
    {
        double[] shift = [1, -2, 0.5, 0, 3];
        using var shiftTensor = tensor(shift, ScalarType.Float64);
        using var isClassOne = _classes.eq(1).unsqueeze(1).to(ScalarType.Float64);
        using var shifted = _features + isClassOne * shiftTensor;

        var variety = ClassVariety.Measure(shifted, _classes, _real);

        var squaredNorm = shift.Sum(v => v * v);
        Assert.Equal(squaredNorm, variety.FrechetPerClass[1]!.Value, 1e-9);
        Assert.InRange(variety.FrechetPerClass[0]!.Value, 0, 1e-9);
        Assert.InRange(variety.FrechetPerClass[2]!.Value, 0, 1e-9);
        Assert.Equal(squaredNorm / Classes, variety.FrechetMean!.Value, 1e-9);
        Assert.Equal(1, variety.SpreadRatio!.Value, 1e-12);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.25)]
    public void Each_class_scaled_about_its_mean_by_s_spreads_s_squared(double scale)
    {
        using var classMeans = stack(Enumerable.Range(0, Classes).Select(c => _features[_classes.eq(c)].mean([0])).ToArray());
        using var means = classMeans.index_select(0, _classes);
        using var scaled = means + (_features - means) * scale;

        var variety = ClassVariety.Measure(scaled, _classes, _real);

        Assert.All(variety.SpreadPerClass, r => Assert.Equal(scale * scale, r!.Value, 1e-9));
        Assert.Equal(scale * scale, variety.SpreadRatio!.Value, 1e-9);
    }

    [Fact]
    public void A_class_with_too_few_samples_has_no_figures_and_the_means_leave_it_out()
    {
        // Class 2 keeps 9 of its vectors, one short of the minimum.
        using var kept = arange(Classes * PerClass - PerClass + 9, dtype: ScalarType.Int64);
        using var features = _features.index_select(0, kept);
        using var classes = _classes.index_select(0, kept);

        var variety = ClassVariety.Measure(features, classes, _real);

        Assert.Equal(ClassVariety.DefaultMinimumSamples, variety.MinimumSamples);
        Assert.Null(variety.FrechetPerClass[2]);
        Assert.Null(variety.SpreadPerClass[2]);
        Assert.NotNull(variety.FrechetPerClass[1]);
        Assert.Equal(variety.FrechetPerClass.Take(2).Average(), variety.FrechetMean);
        Assert.Equal(variety.SpreadPerClass.Take(2).Average(), variety.SpreadRatio);
    }

    [Fact]
    public void No_class_with_enough_samples_gives_null_means()
    {
        using var kept = arange(PerClass - 1, dtype: ScalarType.Int64);
        using var features = _features.index_select(0, kept);
        using var classes = _classes.index_select(0, kept);

        var variety = ClassVariety.Measure(features, classes, _real, minimumSamples: PerClass);

        Assert.All(variety.FrechetPerClass, Assert.Null);
        Assert.Null(variety.FrechetMean);
        Assert.Null(variety.SpreadRatio);
    }

    [Fact]
    public void A_class_outside_the_range_is_refused_by_name()
    {
        using var classes = full([Classes * PerClass], Classes, ScalarType.Int64);
        var error = Assert.Throws<ArgumentException>(() => ClassVariety.Measure(_features, classes, _real));
        Assert.Contains($"Class {Classes} is outside 0…{Classes - 1}", error.Message);
    }
}
