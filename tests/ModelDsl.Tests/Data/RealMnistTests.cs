using ModelDsl.Data;
using ModelDsl.Tests.Support;
using Xunit;

namespace ModelDsl.Tests.Data;

/// <summary>Loads the whole training set once for the tests that need it.</summary>
public sealed class RealTrainingSet
{
    public MnistSet Set { get; } = new MnistStore(new MnistLocation(TestData.MnistDirectory, MnistLocationSource.Explicit), downloader: null)
        .LoadAsync(MnistSplit.Train).GetAwaiter().GetResult();
}

public sealed class RealMnistTests(RealTrainingSet training) : IClassFixture<RealTrainingSet>
{
    private static MnistStore SharedStore() =>
        new(new MnistLocation(TestData.MnistDirectory, MnistLocationSource.Explicit), downloader: null);

    [Fact]
    public void The_training_set_has_60000_labelled_images()
    {
        var set = training.Set;

        Assert.Equal(60000, set.Count);
        Assert.Equal(60000 * 28 * 28, set.Pixels.Length);
        Assert.Equal(5, set.Labels.Span[0]);
        Assert.Equal(0, set.Labels.Span[1]);
        Assert.Equal(Enumerable.Range(0, 10), set.Labels.ToArray().Distinct().Order().Select(label => (int)label));
    }

    [Fact]
    public void Pixels_span_the_full_byte_range_on_a_black_background()
    {
        var pixels = training.Set.Pixels.Span;

        Assert.Equal(0, pixels[0]);
        Assert.True(pixels.Contains((byte)255));
        // About a fifth of MNIST's pixels carry ink.
        var inked = pixels.Length - pixels.Count((byte)0);
        Assert.InRange(inked / (double)pixels.Length, 0.15, 0.25);
    }

    [Fact]
    public async Task The_test_set_has_10000_labelled_images()
    {
        var set = await SharedStore().LoadAsync(MnistSplit.Test);

        Assert.Equal(10000, set.Count);
        Assert.Equal(7, set.Labels.Span[0]);
    }

    [Fact]
    public async Task A_limit_reads_the_first_images_of_the_real_file()
    {
        var set = await SharedStore().LoadAsync(MnistSplit.Train, limit: 100);

        Assert.Equal(100, set.Count);
        Assert.Equal(training.Set.Labels[..100].ToArray(), set.Labels.ToArray());
        Assert.Equal(training.Set.Pixels[..(100 * 784)].ToArray(), set.Pixels.ToArray());
    }

    [Fact]
    public async Task The_shared_files_pass_verification()
    {
        foreach (var file in MnistFile.All)
        {
            Assert.Equal(TestData.MnistFile(file.Name), await SharedStore().EnsureFileAsync(file));
        }
    }
}
