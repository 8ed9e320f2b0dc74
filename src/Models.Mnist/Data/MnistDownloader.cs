using System.Security.Cryptography;
using ModelDsl.IO;

namespace Models.Mnist.Data;

/// <summary>How far a download has come, reported after every chunk.</summary>
/// <param name="FileName">The file being downloaded.</param>
/// <param name="BytesReceived">Bytes received so far.</param>
/// <param name="TotalBytes">The file's expected size.</param>
public readonly record struct DownloadProgress(string FileName, long BytesReceived, long TotalBytes);

/// <summary>
/// Downloads a data set's published gzip files from its mirrors, trying each in order, and keeps a file only if its
/// size and SHA-256 match the published ones. A failed or mismatching download leaves nothing behind.
/// </summary>
public sealed class MnistDownloader : IDisposable
{
    private readonly HttpClient _client;
    private readonly IReadOnlyList<Uri>? _mirrors;

    /// <summary>Creates a downloader.</summary>
    /// <param name="handler">
    /// The HTTP handler to send requests through, which stays the caller's to dispose; <c>null</c> for a
    /// default one that gives up connecting after 15 seconds.
    /// </param>
    /// <param name="mirrors">Base addresses (ending in '/') to try in order for every data set; <c>null</c> for each data set's own <see cref="DataSet.Mirrors"/>.</param>
    public MnistDownloader(HttpMessageHandler? handler = null, IReadOnlyList<Uri>? mirrors = null)
    {
        _client = handler is null
            ? new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15) }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        // Stalls are caught per read by StallTimeout; a whole-request limit would cut off slow but steady links.
        _client.Timeout = Timeout.InfiniteTimeSpan;
        _mirrors = mirrors;
    }

    /// <summary>How long to wait for response headers or the next chunk before giving up on a mirror.</summary>
    internal TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Downloads <paramref name="file"/> of <paramref name="dataSet"/> to <paramref name="destinationPath"/>, replacing
    /// it atomically once the bytes are verified.
    /// </summary>
    /// <exception cref="IOException">No mirror delivered the file intact; the message lists each mirror's failure.</exception>
    public async Task DownloadAsync(DataSet dataSet, DataFile file, string destinationPath, Action<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var failures = new List<string>();
        foreach (var mirror in _mirrors ?? dataSet.Mirrors)
        {
            var address = new Uri(mirror, file.Name);
            try
            {
                await AtomicFile.WriteAsync(destinationPath,
                    (stream, token) => DownloadVerifiedAsync(address, file, stream, progress, token),
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{address}: {e.Message}");
            }
        }
        throw new IOException($"Could not download {file.Name} from any mirror:{Environment.NewLine}  " +
                              string.Join(Environment.NewLine + "  ", failures));
    }

    private async Task DownloadVerifiedAsync(Uri address, DataFile file, Stream destination, Action<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            stall.CancelAfter(StallTimeout);
            using var response = await _client.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);

            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long received = 0;
            while (true)
            {
                stall.CancelAfter(StallTimeout);
                var read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                received += read;
                if (received > file.Size)
                {
                    throw new IOException($"the server sent more than the expected {file.Size} bytes");
                }
                sha256.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                progress?.Invoke(new DownloadProgress(file.Name, received, file.Size));
            }
            if (received != file.Size)
            {
                throw new IOException($"the download ended after {received} of {file.Size} bytes");
            }
            var actual = Convert.ToHexStringLower(sha256.GetHashAndReset());
            if (actual != file.Sha256)
            {
                throw new IOException($"SHA-256 mismatch: got {actual}, expected {file.Sha256}");
            }
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no data for {StallTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Releases the HTTP client (and the default handler, not a caller's).</summary>
    public void Dispose() => _client.Dispose();
}
