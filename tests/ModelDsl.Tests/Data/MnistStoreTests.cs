using System.IO.Compression;
using System.Security.Cryptography;
using Models.Mnist.Data;
using ModelDsl.Tests.Support;
using Xunit;

namespace ModelDsl.Tests.Data;

/// <summary>
/// Finding and verifying a data set's files. The data sets here are the app's own with small files of the tests'
/// own as their published test files; verification sees no difference.
/// </summary>
public sealed class MnistStoreTests : IDisposable
{
    private static readonly byte[] MnistImages = IdxFiles.Images(4), MnistLabels = IdxFiles.Labels(4);
    private static readonly byte[] FashionImages = IdxFiles.Images(4, IdxFiles.GradientPixels(4)), FashionLabels = IdxFiles.Labels(4, [9, 2, 1, 1]);

    private static readonly DataSet SmallMnist = WithTestFiles(DataSet.Mnist, MnistImages, MnistLabels);
    private static readonly DataSet SmallFashion = WithTestFiles(DataSet.FashionMnist, FashionImages, FashionLabels);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static DataSet WithTestFiles(DataSet dataSet, byte[] images, byte[] labels) =>
        IdxFiles.WithContents(dataSet, [(dataSet.TestImages, images), (dataSet.TestLabels, labels)]);

    private MnistStore OfflineStore(DataSet dataSet) =>
        new(dataSet, new MnistLocation(_folder.Path, MnistLocationSource.Explicit), downloader: null, known: [SmallMnist, SmallFashion, DataSet.Kmnist]);

    private static byte[] Gzip(byte[] data, CompressionLevel level)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Writes the test files under their published names: gzipped at <paramref name="level"/>, or raw when null.</summary>
    private void WriteTestFiles(DataSet dataSet, byte[] images, byte[] labels, CompressionLevel? level)
    {
        foreach (var (file, bytes) in new[] { (dataSet.TestImages, images), (dataSet.TestLabels, labels) })
        {
            if (level is { } compression) File.WriteAllBytes(_folder.File(file.Name), Gzip(bytes, compression));
            else File.WriteAllBytes(_folder.File(file.UncompressedName), bytes);
        }
    }

    [Fact]
    public async Task Without_a_downloader_a_missing_file_is_reported()
    {
        var error = await Assert.ThrowsAsync<MnistDataUnavailableException>(() => OfflineStore(DataSet.Mnist).EnsureFileAsync(DataSet.Mnist.TestLabels));
        var fashionError = await Assert.ThrowsAsync<MnistDataUnavailableException>(() => OfflineStore(DataSet.FashionMnist).LoadAsync(MnistSplit.Test));

        Assert.StartsWith($"MNIST file t10k-labels-idx1-ubyte.gz (or t10k-labels-idx1-ubyte) is not in {_folder.Path} (the folder given) and downloading is turned off.", error.Message);
        Assert.StartsWith("Fashion-MNIST file t10k-images-idx3-ubyte.gz (or t10k-images-idx3-ubyte) is not in", fashionError.Message);
        Assert.EndsWith("point to a folder that has them with --data DIR.", fashionError.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.SmallestSize)]
    public async Task The_published_IDX_bytes_are_accepted_raw_or_in_any_gzip(CompressionLevel? level)
    {
        WriteTestFiles(SmallFashion, FashionImages, FashionLabels, level);

        var set = await OfflineStore(SmallFashion).LoadAsync(MnistSplit.Test, limit: 2);

        Assert.Equal(2, set.Count);
        Assert.Equal([9, 2], set.Labels.ToArray());
    }

    [Fact]
    public async Task A_file_whose_IDX_bytes_differ_is_refused_naming_the_data_set_expected()
    {
        var wrongLabels = IdxFiles.Labels(4, [1, 1, 1, 1]);
        WriteTestFiles(SmallFashion, FashionImages, wrongLabels, CompressionLevel.Fastest);

        var error = await Assert.ThrowsAsync<MnistFormatException>(() => OfflineStore(SmallFashion).LoadAsync(MnistSplit.Test));

        Assert.Equal(_folder.File("t10k-labels-idx1-ubyte.gz"), error.FilePath);
        Assert.Equal(
            $"t10k-labels-idx1-ubyte.gz: its IDX bytes (12 bytes, SHA-256 {Convert.ToHexStringLower(SHA256.HashData(wrongLabels))}) are not the published file's " +
            $"(12 bytes, SHA-256 {SmallFashion.TestLabels.ContentSha256}); it is corrupt or not the original Fashion-MNIST file: delete it to download it again, or replace it",
            error.Message);
    }

    [Fact]
    public async Task A_file_that_is_no_IDX_file_is_refused_naming_the_data_set_expected()
    {
        File.WriteAllBytes(_folder.File(DataSet.Mnist.TestImages.Name), new byte[100]);
        File.WriteAllBytes(_folder.File(DataSet.Mnist.TestLabels.Name), MnistLabels);

        var error = await Assert.ThrowsAsync<MnistFormatException>(() => OfflineStore(DataSet.Mnist).LoadAsync(MnistSplit.Test));

        Assert.EndsWith("(expected MNIST's t10k-images-idx3-ubyte)", error.Message);
    }

    [Fact]
    public async Task A_file_of_another_known_data_set_is_named_with_the_option_that_reads_it()
    {
        WriteTestFiles(SmallFashion, FashionImages, FashionLabels, level: null);

        var error = await Assert.ThrowsAsync<MnistFormatException>(() => OfflineStore(SmallMnist).LoadAsync(MnistSplit.Test));

        Assert.Equal("t10k-images-idx3-ubyte: this is Fashion-MNIST's t10k-images-idx3-ubyte, not MNIST's: pass --dataset fashion-mnist to use Fashion-MNIST, " +
                     "or point --data to a folder with the MNIST files", error.Message);
    }

    [Fact]
    public async Task Without_published_IDX_hashes_the_published_gzip_is_checked_in_full_and_other_copies_by_size()
    {
        // KMNIST publishes its gzip files' hashes only.
        var (images, labels) = (IdxFiles.Images(4, Enumerable.Repeat((byte)7, 4 * 784).ToArray()), IdxFiles.Labels(4, [5, 5, 5, 5]));
        var (publishedImages, publishedLabels) = (Gzip(images, CompressionLevel.Fastest), Gzip(labels, CompressionLevel.Fastest));
        DataFile Unhashed(DataFile file, byte[] gzip, byte[] content) =>
            file with { Size = gzip.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(gzip)), ContentSize = content.Length, ContentSha256 = null };
        var kmnist = DataSet.Kmnist with
        {
            TestImages = Unhashed(DataSet.Kmnist.TestImages, publishedImages, images),
            TestLabels = Unhashed(DataSet.Kmnist.TestLabels, publishedLabels, labels),
        };
        File.WriteAllBytes(_folder.File(kmnist.TestImages.Name), publishedImages);
        File.WriteAllBytes(_folder.File(kmnist.TestLabels.UncompressedName), labels);
        Assert.Equal(4, (await OfflineStore(kmnist).LoadAsync(MnistSplit.Test)).Count);

        File.WriteAllBytes(_folder.File(kmnist.TestImages.Name), Gzip(IdxFiles.Images(5), CompressionLevel.Fastest));
        var error = await Assert.ThrowsAsync<MnistFormatException>(() => OfflineStore(kmnist).LoadAsync(MnistSplit.Test));
        Assert.StartsWith($"t10k-images-idx3-ubyte.gz: its IDX bytes ({16 + 5 * 784} bytes, SHA-256 ", error.Message);
        Assert.Contains($"are not the published file's ({16 + 4 * 784} bytes); it is corrupt or not the original KMNIST file", error.Message);
    }

    [SkippableFact]
    public async Task Debian_s_re_gzipped_Fashion_MNIST_is_accepted_and_named_when_read_as_MNIST()
    {
        var location = new MnistLocation(DebianFashionMnist.Directory, MnistLocationSource.Explicit);

        var set = await new MnistStore(DataSet.FashionMnist, location, downloader: null).LoadAsync(MnistSplit.Test, limit: 3);
        var error = await Assert.ThrowsAsync<MnistFormatException>(() => new MnistStore(DataSet.Mnist, location, downloader: null).LoadAsync(MnistSplit.Test));

        Assert.Equal(["Ankle boot", "Pullover", "Trouser"], set.Labels.ToArray().Select(label => DataSet.FashionMnist.ClassName(label)));
        Assert.StartsWith("t10k-images-idx3-ubyte.gz: this is Fashion-MNIST's t10k-images-idx3-ubyte, not MNIST's: pass --dataset fashion-mnist", error.Message);
    }
}
