using System.Buffers.Binary;
using System.IO.Compression;

namespace Models.Mnist.Data;

/// <summary>
/// Reads the MNIST flavour of the IDX format: a big-endian header (magic number, then one 32-bit size per
/// dimension) followed by unsigned bytes. Gzip files are recognised by their magic bytes, not their name.
/// </summary>
internal static class IdxReader
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;
    public const int ImageSide = 28;

    private const int ImageBytes = ImageSide * ImageSide;

    /// <summary>
    /// The items read, how many the header declares (more than read when a limit applies), and what the file holds:
    /// the size and SHA-256 of its IDX bytes and, for a gzip file, of the gzip bytes themselves.
    /// </summary>
    public readonly record struct Payload(byte[] Data, int DeclaredCount, Fingerprint Content, Fingerprint? Gzip);

    public static Payload ReadImages(string path, int? limit) => Read(path, ImagesMagic, limit);

    public static Payload ReadLabels(string path, int? limit) => Read(path, LabelsMagic, limit);

    private static Payload Read(string path, int expectedMagic, int? limit)
    {
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must not be negative.");
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        var isGzip = StartsWithGzipMagic(file);
        using var gzipBytes = isGzip ? new HashingStream(file) : null;
        using var content = new HashingStream(gzipBytes is null ? file : new GZipStream(gzipBytes, CompressionMode.Decompress));
        try
        {
            var (data, declaredCount) = ReadPayload(path, content, expectedMagic, limit, isGzip ? null : file.Length);
            return new Payload(data, declaredCount, content.Fingerprint(), gzipBytes?.Fingerprint());
        }
        catch (InvalidDataException e)
        {
            throw new MnistFormatException(path, $"the gzip data is corrupt ({e.Message}); delete the file and download it again", e);
        }
    }

    private static bool StartsWithGzipMagic(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static (byte[] Data, int DeclaredCount) ReadPayload(string path, Stream stream, int expectedMagic, int? limit, long? rawFileLength)
    {
        var isImages = expectedMagic == ImagesMagic;
        var itemName = isImages ? "images" : "labels";
        var dataName = isImages ? "pixels" : "labels";
        Span<byte> header = stackalloc byte[isImages ? 16 : 8];

        var headerRead = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        var magic = headerRead >= 4 ? BinaryPrimitives.ReadInt32BigEndian(header) : 0;
        if (headerRead >= 4 && magic != expectedMagic)
        {
            throw new MnistFormatException(path, DescribeWrongMagic(magic, expectedMagic, itemName));
        }
        if (headerRead < header.Length)
        {
            throw new MnistFormatException(path,
                $"the file ends after {headerRead} bytes, inside the {header.Length}-byte IDX {itemName} header (file truncated?)");
        }

        var declaredCount = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (declaredCount > int.MaxValue)
        {
            throw new MnistFormatException(path, $"the header declares {declaredCount} {itemName}, which is not plausible (corrupt header?)");
        }
        if (isImages)
        {
            var rows = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
            var columns = BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
            if (rows != ImageSide || columns != ImageSide)
            {
                throw new MnistFormatException(path, $"the images are {rows}×{columns} pixels, expected {ImageSide}×{ImageSide}");
            }
        }

        var itemBytes = isImages ? ImageBytes : 1;
        var expectedBytes = (long)declaredCount * itemBytes;
        var count = (int)Math.Min(declaredCount, (long)(limit ?? int.MaxValue));
        var wantedBytes = (long)count * itemBytes;
        if (wantedBytes > Array.MaxLength)
        {
            throw new MnistFormatException(path, $"the header declares {declaredCount} {itemName}, more than fit in one buffer");
        }
        // A raw file's length is known up front, so a lying header fails before a large allocation.
        if (rawFileLength is { } length && length - header.Length < wantedBytes)
        {
            throw Truncated(path, dataName, expectedBytes, length - header.Length);
        }

        // Uninitialised: every byte is overwritten, and a lying gzip header does not touch the pages it claims.
        var data = GC.AllocateUninitializedArray<byte>((int)wantedBytes);
        var dataRead = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (dataRead < data.Length)
        {
            throw Truncated(path, dataName, expectedBytes, dataRead);
        }

        // Reading on to the end completes the fingerprint (and makes the gzip decoder check its CRC).
        var remaining = CountRemaining(stream);
        var unread = expectedBytes - wantedBytes;
        if (remaining < unread)
        {
            throw Truncated(path, dataName, expectedBytes, wantedBytes + remaining);
        }
        if (remaining > unread)
        {
            throw new MnistFormatException(path,
                $"{remaining - unread} unexpected bytes follow the {expectedBytes} bytes of {dataName} that the header declares");
        }
        return (data, (int)declaredCount);
    }

    private static string DescribeWrongMagic(int magic, int expectedMagic, string itemName)
    {
        var otherName = expectedMagic == ImagesMagic ? "labels" : "images";
        var otherMagic = expectedMagic == ImagesMagic ? LabelsMagic : ImagesMagic;
        return magic == otherMagic
            ? $"this is an IDX {otherName} file (magic 0x{magic:X8}) where {itemName} (0x{expectedMagic:X8}) were expected; are the files swapped?"
            : $"not an MNIST IDX {itemName} file: the magic number is 0x{magic:X8}, expected 0x{expectedMagic:X8}";
    }

    private static MnistFormatException Truncated(string path, string dataName, long expectedBytes, long foundBytes) =>
        new(path, $"expected {expectedBytes} bytes of {dataName} after the header, found {foundBytes} (file truncated?)");

    private static long CountRemaining(Stream stream)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int read;
        while ((read = stream.Read(scratch)) > 0)
        {
            total += read;
        }
        return total;
    }
}
