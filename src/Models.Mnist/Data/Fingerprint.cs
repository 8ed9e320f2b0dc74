using System.Security.Cryptography;

namespace Models.Mnist.Data;

/// <summary>What identifies a file's bytes: their count and lowercase hex SHA-256.</summary>
public readonly record struct Fingerprint(long Size, string Sha256)
{
    public override string ToString() => $"{Size} bytes, SHA-256 {Sha256}";
}

/// <summary>
/// A read-only pass-through that hashes and counts every byte read from the stream beneath, so that a file is
/// fingerprinted in the same pass that reads it.
/// </summary>
internal sealed class HashingStream(Stream inner) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _size;

    /// <summary>The fingerprint of the bytes read so far.</summary>
    public Fingerprint Fingerprint() => new(_size, Convert.ToHexStringLower(_sha256.GetCurrentHash()));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _sha256.AppendData(buffer[..read]);
        _size += read;
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _size; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
