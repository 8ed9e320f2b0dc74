namespace Models.Mnist.Data;

/// <summary>
/// One data set's files in one folder: finds each file (gzip, or the decompressed variant), downloads missing ones
/// when a downloader is given, and loads splits, verifying what each file holds.
/// </summary>
/// <remarks>
/// A file is verified by its IDX bytes, not by how they were compressed: raw, the published gzip, or any other gzip
/// of them (Debian's Fashion-MNIST is re-gzipped) are accepted alike when their size and SHA-256 are the published
/// file's. The fingerprint is taken in the pass that reads the file (reading on past a limit), about 0.2 s for the
/// training images, so no verification marker is cached. A file that is another known data set's is named as such.
/// </remarks>
public sealed class MnistStore
{
    private readonly MnistDownloader? _downloader;
    private readonly IReadOnlyList<DataSet> _known;

    /// <summary>Creates a store of <paramref name="dataSet"/>'s files in <paramref name="location"/>.</summary>
    /// <param name="dataSet">The data set the folder is expected to hold.</param>
    /// <param name="location">The folder, e.g. from <see cref="MnistLocation.Resolve(string?, DataSet)"/>.</param>
    /// <param name="downloader">Fetches missing files; <c>null</c> to never download.</param>
    /// <param name="known">The data sets a wrong file is recognised among; <c>null</c> for <see cref="DataSet.All"/>.</param>
    public MnistStore(DataSet dataSet, MnistLocation location, MnistDownloader? downloader, IReadOnlyList<DataSet>? known = null)
    {
        DataSet = dataSet;
        Location = location;
        _downloader = downloader;
        _known = known ?? DataSet.All;
    }

    /// <summary>The data set this store reads.</summary>
    public DataSet DataSet { get; }

    /// <summary>The folder this store reads and downloads into.</summary>
    public MnistLocation Location { get; }

    /// <summary>
    /// Loads a split, downloading its files first if they are missing. With a <paramref name="limit"/> only the
    /// first items are kept (the files are still read to the end, to verify them).
    /// </summary>
    /// <exception cref="MnistDataUnavailableException">A file is missing and could not be downloaded.</exception>
    /// <exception cref="MnistFormatException">A file is corrupt, truncated, of another kind, or not the published one.</exception>
    public async Task<MnistSet> LoadAsync(MnistSplit split, int? limit = null, Action<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (images, labels) = DataSet.Of(split);
        var imagesPath = await EnsureFileAsync(images, progress, cancellationToken).ConfigureAwait(false);
        var labelsPath = await EnsureFileAsync(labels, progress, cancellationToken).ConfigureAwait(false);
        var imagesRead = Verified(imagesPath, images, () => IdxReader.ReadImages(imagesPath, limit));
        var labelsRead = Verified(labelsPath, labels, () => IdxReader.ReadLabels(labelsPath, limit));
        return MnistSet.Combine(imagesPath, imagesRead, labelsPath, labelsRead);
    }

    /// <summary>
    /// Returns the path of <paramref name="file"/> in the folder (the gzip file, else the decompressed one),
    /// downloading the published gzip file (checked as it arrives) if neither is there. What a file found holds is
    /// verified when <see cref="LoadAsync"/> reads it.
    /// </summary>
    /// <exception cref="MnistDataUnavailableException">The file is missing and could not be downloaded.</exception>
    public async Task<string> EnsureFileAsync(DataFile file, Action<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var gzipPath = Path.Combine(Location.Directory, file.Name);
        if (File.Exists(gzipPath))
        {
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
            await _downloader.DownloadAsync(DataSet, file, gzipPath, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(file, $"could not be downloaded: {e.Message}", e);
        }
        return gzipPath;
    }

    /// <summary>
    /// What <paramref name="read"/> reads from <paramref name="path"/>, once its fingerprint shows it is
    /// <paramref name="file"/>; any problem is reported naming the data set expected.
    /// </summary>
    private IdxReader.Payload Verified(string path, DataFile file, Func<IdxReader.Payload> read)
    {
        IdxReader.Payload payload;
        try
        {
            payload = read();
        }
        catch (MnistFormatException e) when (e.FilePath == path)
        {
            throw new MnistFormatException(path, $"{e.Problem} (expected {DataSet.Title}'s {file.UncompressedName})", e);
        }
        if (Holds(payload, file))
        {
            return payload;
        }
        if (Recognise(payload) is var (otherSet, otherFile))
        {
            throw new MnistFormatException(path, otherSet.Name == DataSet.Name
                ? $"this is {otherSet.Title}'s {otherFile.UncompressedName}, not its {file.UncompressedName}; the files are misnamed"
                : $"this is {otherSet.Title}'s {otherFile.UncompressedName}, not {DataSet.Title}'s: pass --dataset {otherSet.Name} to use {otherSet.Title}, " +
                  $"or point --data to a folder with the {DataSet.Title} files");
        }
        // Without a published hash of the IDX bytes, their size is all that can be checked (see DataSet.Kmnist).
        if (file.ContentSha256 is null && payload.Content.Size == file.ContentSize)
        {
            return payload;
        }
        var expected = file.ContentSha256 is { } sha256 ? new Fingerprint(file.ContentSize, sha256).ToString() : $"{file.ContentSize} bytes";
        throw new MnistFormatException(path,
            $"its IDX bytes ({payload.Content}) are not the published file's ({expected}); " +
            $"it is corrupt or not the original {DataSet.Title} file: delete it to download it again, or replace it");
    }

    /// <summary>Whether <paramref name="payload"/> read the IDX bytes of <paramref name="file"/> (where they are published) or its published gzip file.</summary>
    private static bool Holds(IdxReader.Payload payload, DataFile file) =>
        file.ContentSha256 is { } sha256 && payload.Content == new Fingerprint(file.ContentSize, sha256)
        || payload.Gzip == new Fingerprint(file.Size, file.Sha256);

    /// <summary>The known data set and file that <paramref name="payload"/> read, or null when it is none of them.</summary>
    private (DataSet Set, DataFile File)? Recognise(IdxReader.Payload payload)
    {
        foreach (var set in _known)
        {
            foreach (var file in set.Files)
            {
                if (Holds(payload, file)) return (set, file);
            }
        }
        return null;
    }

    private MnistDataUnavailableException Unavailable(DataFile file, string reason, Exception? cause)
    {
        var names = string.Join(", ", DataSet.Files.Select(f => f.Name));
        var message =
            $"{DataSet.Title} file {file.Name} (or {file.UncompressedName}) is not in {Location.Describe()} and {reason}.{Environment.NewLine}" +
            $"Copy the {DataSet.Title} files ({names}, gzipped or not) into {Location.Directory}, " +
            $"or point to a folder that has them with --data DIR" +
            (DataSet.Name == DataSet.Mnist.Name ? $" or the {MnistLocation.EnvironmentVariableName} environment variable." : ".");
        return new MnistDataUnavailableException(file.Name, Location.Directory, message, cause);
    }
}
