using System.Buffers.Binary;

namespace Models.Mnist.Imaging;

/// <summary>
/// Encodes grayscale frames as a looping animated GIF89a: one global palette of the 256 gray levels (so a
/// pixel's gray is its palette index), a NETSCAPE2.0 extension to loop forever, and LZW-compressed frames.
/// </summary>
internal static class GifEncoder
{
    private const int MinimumCodeSize = 8;
    private const int ClearCode = 1 << MinimumCodeSize;
    private const int EndCode = ClearCode + 1;
    private const int MaxCode = 4095;

    public static void Write(Stream output, IReadOnlyList<GrayImage> frames, TimeSpan frameDelay)
    {
        if (frames.Count == 0)
        {
            throw new ArgumentException("An animation needs at least one frame.", nameof(frames));
        }
        var width = frames[0].Width;
        var height = frames[0].Height;
        if (width > ushort.MaxValue || height > ushort.MaxValue)
        {
            throw new ArgumentException($"GIF frames are at most {ushort.MaxValue} pixels a side, got {width}×{height}.", nameof(frames));
        }
        for (var i = 1; i < frames.Count; i++)
        {
            if (frames[i].Width != width || frames[i].Height != height)
            {
                throw new ArgumentException($"Frame {i} is {frames[i].Width}×{frames[i].Height}, frame 0 is {width}×{height}.", nameof(frames));
            }
        }
        var delayHundredths = (ushort)Math.Clamp(Math.Round(frameDelay.TotalMilliseconds / 10), 0, ushort.MaxValue);

        output.Write("GIF89a"u8);
        WriteUInt16(output, width);
        WriteUInt16(output, height);
        // Global colour table present, 8 bits of colour resolution, 2^(7+1) = 256 entries.
        output.Write([0xF7, 0, 0]);
        for (var gray = 0; gray < 256; gray++)
        {
            output.Write([(byte)gray, (byte)gray, (byte)gray]);
        }
        // Application extension NETSCAPE2.0: loop count 0 means forever.
        output.Write([0x21, 0xFF, 11]);
        output.Write("NETSCAPE2.0"u8);
        output.Write([3, 1, 0, 0, 0]);

        foreach (var frame in frames)
        {
            // Graphic control extension: no transparency, no disposal, the frame's delay.
            output.Write([0x21, 0xF9, 4, 0]);
            WriteUInt16(output, delayHundredths);
            output.Write([0, 0]);
            // Image descriptor covering the whole canvas, no local colour table, not interlaced.
            output.WriteByte(0x2C);
            WriteUInt16(output, 0);
            WriteUInt16(output, 0);
            WriteUInt16(output, width);
            WriteUInt16(output, height);
            output.WriteByte(0);
            output.WriteByte(MinimumCodeSize);
            WriteSubBlocks(output, Compress(frame.Pixels));
        }
        output.WriteByte(0x3B);
    }

    /// <summary>Variable-width LZW as GIF defines it: codes packed least significant bit first.</summary>
    internal static byte[] Compress(ReadOnlySpan<byte> indices)
    {
        var packer = new BitPacker(indices.Length);
        // Keys are (prefix code << 8 | next byte); prefix codes stay below 4096, so 20 bits suffice.
        var table = new Dictionary<int, int>(MaxCode);
        var codeSize = MinimumCodeSize + 1;
        var nextCode = EndCode + 1;
        packer.Add(ClearCode, codeSize);
        if (indices.IsEmpty)
        {
            packer.Add(EndCode, codeSize);
            return packer.ToArray();
        }

        int prefix = indices[0];
        for (var i = 1; i < indices.Length; i++)
        {
            var key = prefix << 8 | indices[i];
            if (table.TryGetValue(key, out var code))
            {
                prefix = code;
                continue;
            }
            packer.Add(prefix, codeSize);
            if (nextCode <= MaxCode)
            {
                // The decoder widens its codes as soon as it defines the first code that needs more bits.
                if (nextCode == 1 << codeSize)
                {
                    codeSize++;
                }
                table[key] = nextCode++;
            }
            else
            {
                packer.Add(ClearCode, codeSize);
                table.Clear();
                codeSize = MinimumCodeSize + 1;
                nextCode = EndCode + 1;
            }
            prefix = indices[i];
        }
        packer.Add(prefix, codeSize);
        // Reading that last code makes the decoder define one more entry, which may widen its codes.
        if (nextCode == 1 << codeSize && codeSize < 12)
        {
            codeSize++;
        }
        packer.Add(EndCode, codeSize);
        return packer.ToArray();
    }

    private static void WriteSubBlocks(Stream output, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var length = Math.Min(255, data.Length);
            output.WriteByte((byte)length);
            output.Write(data[..length]);
            data = data[length..];
        }
        output.WriteByte(0);
    }

    private static void WriteUInt16(Stream output, int value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
        output.Write(bytes);
    }

    private sealed class BitPacker(int capacityHint)
    {
        private readonly MemoryStream _bytes = new(capacityHint / 2 + 16);
        private int _pending;
        private int _pendingBits;

        public void Add(int code, int bits)
        {
            _pending |= code << _pendingBits;
            _pendingBits += bits;
            while (_pendingBits >= 8)
            {
                _bytes.WriteByte((byte)_pending);
                _pending >>= 8;
                _pendingBits -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (_pendingBits > 0)
            {
                _bytes.WriteByte((byte)_pending);
                _pending = 0;
                _pendingBits = 0;
            }
            return _bytes.ToArray();
        }
    }
}
