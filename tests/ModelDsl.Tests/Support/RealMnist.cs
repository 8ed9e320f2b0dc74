using Models.Mnist.Data;

namespace ModelDsl.Tests.Support;

/// <summary>
/// The real MNIST files, for the few tests about them or that need real digits. Looked for in
/// <c>$MODELDSL_DATA</c>, else in <c>../shared/data/mnist</c> beside the repository where that folder exists, else in
/// the app's user cache (downloaded there when this machine is online). Where none has them, those tests are
/// skipped with the reason; files that are there but corrupt fail them.
/// </summary>
public static class RealMnist
{
    private static readonly RealDataFolder Found = new(Find);

    /// <summary>The folder that holds the four files; skips the calling test, saying why, where there is none.</summary>
    public static string Directory => Found.Directory;

    /// <summary>The path of <paramref name="file"/> in <see cref="Directory"/> (gzip or decompressed, whichever is there).</summary>
    public static string PathOf(DataFile file) =>
        new MnistStore(DataSet.Mnist, new MnistLocation(Directory, MnistLocationSource.Explicit), downloader: null).EnsureFileAsync(file).GetAwaiter().GetResult();

    /// <summary>The first <paramref name="count"/> images and labels of a split.</summary>
    public static MnistSet Read(MnistSplit split, int count)
    {
        var (images, labels) = DataSet.Mnist.Of(split);
        return MnistSet.Read(PathOf(images), PathOf(labels), count);
    }

    private static (string?, string) Find()
    {
        if (Environment.GetEnvironmentVariable(MnistLocation.EnvironmentVariableName) is { Length: > 0 } fromEnvironment)
        {
            return Check(new MnistLocation(Path.GetFullPath(fromEnvironment), MnistLocationSource.EnvironmentVariable), downloader: null);
        }
        var shared = Path.GetFullPath(Path.Combine(RepoRoot.Path, "..", "shared", "data", "mnist"));
        if (System.IO.Directory.Exists(shared))
        {
            return Check(new MnistLocation(shared, MnistLocationSource.Explicit), downloader: null);
        }
        // Short limits: offline, the first mirror's failure ends the search within seconds instead of minutes.
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
        using var downloader = new MnistDownloader(handler) { StallTimeout = TimeSpan.FromSeconds(20) };
        return Check(MnistLocation.Resolve(explicitDirectory: null, DataSet.Mnist), downloader);
    }

    private static (string?, string) Check(MnistLocation location, MnistDownloader? downloader)
    {
        var store = new MnistStore(DataSet.Mnist, location, downloader);
        try
        {
            foreach (var file in DataSet.Mnist.Files)
            {
                store.EnsureFileAsync(file).GetAwaiter().GetResult();
            }
            return (location.Directory, "");
        }
        catch (MnistDataUnavailableException unavailable)
        {
            return (null, "needs the real MNIST files: " + unavailable.Message.ReplaceLineEndings(" "));
        }
    }
}
