using System.Security.Cryptography;

namespace Models.Mnist.Data;

/// <summary>
/// The MNIST files in one folder: finds each file (gzip, or the decompressed variant), downloads missing ones
/// when a downloader is given, and loads splits.
/// </summary>
/// <remarks>
/// A gzip file found in the folder is checked against its published size and SHA-256 on every load. That costs
/// about 20 ms for the 10 MB training images, less than decompressing them, so no verification marker is cached.
/// Decompressed files have no published hash and are checked by the IDX validation alone.
/// </remarks>
public sealed class MnistStore
{
    private readonly MnistDownloader? _downloader;

    /// <summary>Creates a store for <paramref name="location"/>.</summary>
    /// <param name="location">The folder, e.g. from <see cref="MnistLocation.Resolve(string?)"/>.</param>
    /// <param name="downloader">Fetches missing files; <c>null</c> to never download.</param>
    public MnistStore(MnistLocation location, MnistDownloader? downloader)
    {
        Location = location;
        _downloader = downloader;
    }

    /// <summary>The folder this store reads and downloads into.</summary>
    public MnistLocation Location { get; }

    /// <summary>
    /// Loads a split, downloading its files first if they are missing. With a <paramref name="limit"/> only the
    /// first items are read.
    /// </summary>
    /// <exception cref="MnistDataUnavailableException">A file is missing and could not be downloaded.</exception>
    /// <exception cref="MnistFormatException">A file is corrupt, truncated, of another kind, or not the published one.</exception>
    public async Task<MnistSet> LoadAsync(MnistSplit split, int? limit = null, Action<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (images, labels) = MnistFile.Of(split);
        var imagesPath = await EnsureFileAsync(images, progress, cancellationToken).ConfigureAwait(false);
        var labelsPath = await EnsureFileAsync(labels, progress, cancellationToken).ConfigureAwait(false);
        return MnistSet.Read(imagesPath, labelsPath, limit);
    }

    /// <summary>
    /// Returns the path of <paramref name="file"/> in the folder (the verified gzip file, else the decompressed
    /// one), downloading the gzip file if neither is there.
    /// </summary>
    /// <exception cref="MnistDataUnavailableException">The file is missing and could not be downloaded.</exception>
    /// <exception cref="MnistFormatException">The gzip file present does not match the published size or SHA-256.</exception>
    public async Task<string> EnsureFileAsync(MnistFile file, Action<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var gzipPath = Path.Combine(Location.Directory, file.Name);
        if (File.Exists(gzipPath))
        {
            Verify(gzipPath, file);
            return gzipPath;
        }
        var rawPath = Path.Combine(Location.Directory, file.UncompressedName);
        if (File.Exists(rawPath))
        {
            return rawPath;
        }
        if (_downloader is null)
        {
            throw Unavailable(file, "downloading is turned off", null);
        }
        try
        {
            Directory.CreateDirectory(Location.Directory);
            await _downloader.DownloadAsync(file, gzipPath, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(file, $"could not be downloaded: {e.Message}", e);
        }
        return gzipPath;
    }

    private static void Verify(string path, MnistFile file)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        if (stream.Length != file.Size)
        {
            throw new MnistFormatException(path, $"the file is {stream.Length} bytes but the published one is {file.Size}; {ReplaceAdvice}");
        }
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != file.Sha256)
        {
            throw new MnistFormatException(path, $"SHA-256 is {actual} but the published file's is {file.Sha256}; {ReplaceAdvice}");
        }
    }

    private const string ReplaceAdvice = "it is corrupt or not the original MNIST file: delete it to download it again, or replace it";

    private MnistDataUnavailableException Unavailable(MnistFile file, string reason, Exception? cause)
    {
        var names = string.Join(", ", MnistFile.All.Select(f => f.Name));
        var message =
            $"MNIST file {file.Name} (or {file.UncompressedName}) is not in {Location.Describe()} and {reason}.{Environment.NewLine}" +
            $"Copy the MNIST files ({names}, gzipped or not) into {Location.Directory}, " +
            $"or point to a folder that has them with --data DIR or the {MnistLocation.EnvironmentVariableName} environment variable.";
        return new MnistDataUnavailableException(file.Name, Location.Directory, message, cause);
    }
}
