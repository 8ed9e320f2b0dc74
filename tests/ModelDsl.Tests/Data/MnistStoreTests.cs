using Models.Mnist.Data;
using ModelDsl.Tests.Support;
using Xunit;

namespace ModelDsl.Tests.Data;

public sealed class MnistStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private MnistStore OfflineStore() => new(new MnistLocation(_folder.Path, MnistLocationSource.Explicit), downloader: null);

    [Fact]
    public async Task Without_a_downloader_a_missing_file_is_reported()
    {
        var error = await Assert.ThrowsAsync<MnistDataUnavailableException>(() => OfflineStore().EnsureFileAsync(MnistFile.TestLabels));

        Assert.StartsWith($"MNIST file t10k-labels-idx1-ubyte.gz (or t10k-labels-idx1-ubyte) is not in {_folder.Path} (the folder given) and downloading is turned off.", error.Message);
    }

    [Fact]
    public async Task Decompressed_files_are_used_when_the_gzip_ones_are_absent()
    {
        IdxFiles.WritePair(_folder, count: 4, gzip: false);

        var set = await OfflineStore().LoadAsync(MnistSplit.Test);

        Assert.Equal(4, set.Count);
    }

    [Fact]
    public async Task A_gzip_file_that_is_not_the_published_one_is_rejected()
    {
        var (images, _) = IdxFiles.WritePair(_folder, count: 4, gzip: true);
        var sameSize = new byte[MnistFile.TestLabels.Size];
        File.WriteAllBytes(_folder.File(MnistFile.TestLabels.Name), sameSize);

        var sizeError = await Assert.ThrowsAsync<MnistFormatException>(() => OfflineStore().EnsureFileAsync(MnistFile.TestImages));
        var hashError = await Assert.ThrowsAsync<MnistFormatException>(() => OfflineStore().EnsureFileAsync(MnistFile.TestLabels));

        Assert.Equal(images, sizeError.FilePath);
        Assert.Contains($"the file is {new FileInfo(images).Length} bytes but the published one is 1648877", sizeError.Message);
        Assert.StartsWith("t10k-labels-idx1-ubyte.gz: SHA-256 is ", hashError.Message);
        Assert.Contains("delete it to download it again", hashError.Message);
    }
}
