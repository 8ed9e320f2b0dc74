using System.Security.Cryptography;
using Models.Mnist.Data;
using ModelDsl.Tests.Support;
using Xunit;

namespace ModelDsl.Tests.Data;

/// <summary>
/// Downloading through a fake HTTP handler that serves a labels file of the tests' own, published under its own
/// size and SHA-256 (or wrong bytes); a store's downloads are checked against the real published files.
/// </summary>
public sealed class MnistDownloadTests : IDisposable
{
    private static readonly Uri[] Mirrors = [new("https://mirror-a.test/mnist/"), new("https://mirror-b.test/mnist/")];
    private static readonly byte[] ServedLabels = SeededRandomLabels();
    private static readonly DataFile Labels = DataSet.Mnist.TestLabels with
    {
        Size = ServedLabels.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(ServedLabels)),
    };

    private readonly TempFolder _folder = new();

    /// <summary>Random digits, as in the real file: gzip leaves them several kilobytes, enough to fail midway through.</summary>
    private static byte[] SeededRandomLabels()
    {
        var random = new Random(1);
        return IdxFiles.Gzip(IdxFiles.Labels(10000, Enumerable.Range(0, 10000).Select(_ => (byte)random.Next(10)).ToArray()));
    }

    public void Dispose() => _folder.Dispose();

    private static FakeHttpHandler Serving(Func<Uri, HttpResponseMessage> respond) => new(respond);

    private static MnistDownloader Downloader(FakeHttpHandler handler) => new(handler, Mirrors);

    [Fact]
    public async Task A_verified_download_lands_under_its_name_with_progress_reported()
    {
        var handler = Serving(_ => FakeHttpHandler.Bytes(ServedLabels));
        var reports = new List<DownloadProgress>();
        using var downloader = Downloader(handler);

        await downloader.DownloadAsync(DataSet.Mnist, Labels, _folder.File(Labels.Name), reports.Add);

        Assert.Equal(ServedLabels, File.ReadAllBytes(_folder.File(Labels.Name)));
        Assert.Equal([Labels.Name], _folder.FileNames());
        Assert.Equal(new DownloadProgress(Labels.Name, Labels.Size, Labels.Size), reports[^1]);
        Assert.Equal(new Uri("https://mirror-a.test/mnist/t10k-labels-idx1-ubyte.gz"), Assert.Single(handler.Requests));
    }

    [Fact]
    public async Task The_next_mirror_is_tried_when_one_fails()
    {
        var handler = Serving(uri => uri.Host == "mirror-a.test" ? FakeHttpHandler.NotFound() : FakeHttpHandler.Bytes(ServedLabels));
        using var downloader = Downloader(handler);

        await downloader.DownloadAsync(DataSet.Mnist, Labels, _folder.File(Labels.Name));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(ServedLabels, File.ReadAllBytes(_folder.File(Labels.Name)));
    }

    [Fact]
    public async Task Wrong_bytes_are_rejected_and_leave_nothing_behind()
    {
        var wrong = ServedLabels.ToArray();
        wrong[100] ^= 1;
        using var downloader = Downloader(Serving(_ => FakeHttpHandler.Bytes(wrong)));

        var error = await Assert.ThrowsAsync<IOException>(() => downloader.DownloadAsync(DataSet.Mnist, Labels, _folder.File(Labels.Name)));

        Assert.Contains("https://mirror-a.test/mnist/t10k-labels-idx1-ubyte.gz: SHA-256 mismatch", error.Message);
        Assert.Contains("https://mirror-b.test/mnist/t10k-labels-idx1-ubyte.gz: SHA-256 mismatch", error.Message);
        Assert.Contains($"expected {Labels.Sha256}", error.Message);
        Assert.Empty(_folder.FileNames());
    }

    [Fact]
    public async Task A_download_failing_midway_leaves_an_existing_file_untouched()
    {
        var destination = _folder.File(Labels.Name);
        File.WriteAllText(destination, "previous content");
        using var downloader = Downloader(Serving(_ => FakeHttpHandler.Stream(new FailingStream(ServedLabels[..2000]))));

        var error = await Assert.ThrowsAsync<IOException>(() => downloader.DownloadAsync(DataSet.Mnist, Labels, destination));

        Assert.Contains("connection reset by peer", error.Message);
        Assert.Equal([Labels.Name], _folder.FileNames());
        Assert.Equal("previous content", File.ReadAllText(destination));
    }

    [Fact]
    public async Task A_short_or_long_body_is_rejected()
    {
        using var shortDownloader = Downloader(Serving(_ => FakeHttpHandler.Bytes(ServedLabels[..1000])));
        using var longDownloader = Downloader(Serving(_ => FakeHttpHandler.Bytes([.. ServedLabels, 0])));

        var tooShort = await Assert.ThrowsAsync<IOException>(() => shortDownloader.DownloadAsync(DataSet.Mnist, Labels, _folder.File(Labels.Name)));
        var tooLong = await Assert.ThrowsAsync<IOException>(() => longDownloader.DownloadAsync(DataSet.Mnist, Labels, _folder.File(Labels.Name)));

        Assert.Contains($"the download ended after 1000 of {Labels.Size} bytes", tooShort.Message);
        Assert.Contains($"the server sent more than the expected {Labels.Size} bytes", tooLong.Message);
        Assert.Empty(_folder.FileNames());
    }

    [Fact]
    public async Task A_stalled_mirror_times_out()
    {
        using var downloader = new MnistDownloader(Serving(_ => FakeHttpHandler.Stream(new StalledStream())), [Mirrors[0]])
        {
            StallTimeout = TimeSpan.FromMilliseconds(100),
        };

        var error = await Assert.ThrowsAsync<IOException>(() => downloader.DownloadAsync(DataSet.Mnist, Labels, _folder.File(Labels.Name)));

        Assert.Contains("no data for 0.1 s", error.Message);
        Assert.Empty(_folder.FileNames());
    }

    [SkippableFact]
    public async Task A_store_downloads_missing_files_then_loads_them()
    {
        // The store accepts only the published files, so it is served the real ones.
        var served = DataSet.Mnist.Files.ToDictionary(f => f.Name, f => File.ReadAllBytes(RealMnist.PathOf(f)));
        var handler = Serving(uri => FakeHttpHandler.Bytes(served[uri.Segments[^1]]));
        using var downloader = Downloader(handler);
        var store = new MnistStore(DataSet.Mnist, new MnistLocation(_folder.File("cache"), MnistLocationSource.UserCache), downloader);
        var reports = new List<DownloadProgress>();

        var set = await store.LoadAsync(MnistSplit.Test, limit: 10, reports.Add);

        Assert.Equal(10, set.Count);
        Assert.Equal(7, set.Labels.Span[0]);
        Assert.Equal(["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"], Directory.GetFiles(_folder.File("cache")).Select(Path.GetFileName).Order());
        Assert.Equal([DataSet.Mnist.TestImages.Name, DataSet.Mnist.TestLabels.Name], reports.Select(r => r.FileName).Distinct());

        handler.Requests.Clear();
        await store.LoadAsync(MnistSplit.Test, limit: 10);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_store_that_cannot_download_says_what_is_missing_where_and_what_to_do()
    {
        using var downloader = Downloader(Serving(_ => throw new HttpRequestException("Name or service not known")));
        var folder = _folder.File("cache");
        var store = new MnistStore(DataSet.Mnist, new MnistLocation(folder, MnistLocationSource.UserCache), downloader);

        var error = await Assert.ThrowsAsync<MnistDataUnavailableException>(() => store.LoadAsync(MnistSplit.Train));

        Assert.Equal("train-images-idx3-ubyte.gz", error.FileName);
        Assert.Equal(folder, error.Directory);
        Assert.Contains($"MNIST file train-images-idx3-ubyte.gz (or train-images-idx3-ubyte) is not in {folder} (the user cache folder) and could not be downloaded", error.Message);
        Assert.Contains("https://mirror-a.test/mnist/train-images-idx3-ubyte.gz: Name or service not known", error.Message);
        Assert.Contains($"Copy the MNIST files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz, gzipped or not) into {folder}", error.Message);
        Assert.Contains("--data DIR or the MODELDSL_DATA environment variable", error.Message);
        Assert.Empty(Directory.GetFiles(folder));
    }
}
