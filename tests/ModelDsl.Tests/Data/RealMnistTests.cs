using Models.Mnist.Data;
using ModelDsl.Tests.Support;
using Xunit;

namespace ModelDsl.Tests.Data;

/// <summary>Loads the whole training set once, when the first test asks (a test without the files is skipped first).</summary>
public sealed class RealTrainingSet
{
    private readonly Lazy<MnistSet> _set = new(() => SharedStore().LoadAsync(MnistSplit.Train).GetAwaiter().GetResult());

    public MnistSet Set => _set.Value;

    internal static MnistStore SharedStore() =>
        new(DataSet.Mnist, new MnistLocation(RealMnist.Directory, MnistLocationSource.Explicit), downloader: null);
}

public sealed class RealMnistTests(RealTrainingSet training) : IClassFixture<RealTrainingSet>
{
    private static MnistStore SharedStore() => RealTrainingSet.SharedStore();

    [SkippableFact]
    public void The_training_set_has_60000_labelled_images()
    {
        var set = training.Set;

        Assert.Equal(60000, set.Count);
        Assert.Equal(60000 * 28 * 28, set.Pixels.Length);
        Assert.Equal(5, set.Labels.Span[0]);
        Assert.Equal(0, set.Labels.Span[1]);
        Assert.Equal(Enumerable.Range(0, 10), set.Labels.ToArray().Distinct().Order().Select(label => (int)label));
    }

    [SkippableFact]
    public void Pixels_span_the_full_byte_range_on_a_black_background()
    {
        var pixels = training.Set.Pixels.Span;

        Assert.Equal(0, pixels[0]);
        Assert.True(pixels.Contains((byte)255));
        // About a fifth of MNIST's pixels carry ink.
        var inked = pixels.Length - pixels.Count((byte)0);
        Assert.InRange(inked / (double)pixels.Length, 0.15, 0.25);
    }

    [SkippableFact]
    public async Task The_test_set_has_10000_labelled_images()
    {
        var set = await SharedStore().LoadAsync(MnistSplit.Test);

        Assert.Equal(10000, set.Count);
        Assert.Equal(7, set.Labels.Span[0]);
    }

    [SkippableFact]
    public async Task A_limit_reads_the_first_images_of_the_real_file()
    {
        var set = await SharedStore().LoadAsync(MnistSplit.Train, limit: 100);

        Assert.Equal(100, set.Count);
        Assert.Equal(training.Set.Labels[..100].ToArray(), set.Labels.ToArray());
        Assert.Equal(training.Set.Pixels[..(100 * 784)].ToArray(), set.Pixels.ToArray());
    }

    [SkippableFact]
    public async Task The_files_found_pass_verification()
    {
        // Loading verifies each file's IDX bytes against the published size and SHA-256 (a mismatch throws).
        foreach (var split in Enum.GetValues<MnistSplit>())
        {
            var set = await SharedStore().LoadAsync(split, limit: 1);
            Assert.Equal(1, set.Count);
        }
    }
}
