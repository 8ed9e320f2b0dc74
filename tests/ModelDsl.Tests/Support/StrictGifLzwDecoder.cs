namespace ModelDsl.Tests.Support;

/// <summary>
/// A GIF LZW decoder (8-bit minimum code size) that, unlike forgiving image decoders, insists on a
/// well-formed code stream: valid codes only, and the end code read at the right width as the last code.
/// </summary>
public static class StrictGifLzwDecoder
{
    public static byte[] Decode(ReadOnlySpan<byte> data)
    {
        const int clear = 256, end = 257;
        var table = new List<byte[]>(4096);
        var output = new List<byte>();
        var codeSize = 9;
        byte[]? previous = null;
        long bitPosition = 0;

        void Reset()
        {
            table.Clear();
            for (var i = 0; i < 256; i++)
            {
                table.Add([(byte)i]);
            }
            table.Add([]);
            table.Add([]);
            codeSize = 9;
            previous = null;
        }

        Reset();
        while (true)
        {
            if (bitPosition + codeSize > data.Length * 8L)
            {
                throw new InvalidDataException($"The code stream ends at bit {bitPosition} without an end code.");
            }
            var code = 0;
            for (var bit = 0; bit < codeSize; bit++, bitPosition++)
            {
                code |= (data[(int)(bitPosition / 8)] >> (int)(bitPosition % 8) & 1) << bit;
            }
            if (code == clear)
            {
                Reset();
                continue;
            }
            if (code == end)
            {
                var unusedBytes = data.Length - (bitPosition + 7) / 8;
                return unusedBytes == 0 ? output.ToArray() : throw new InvalidDataException($"{unusedBytes} bytes follow the end code.");
            }
            byte[] entry;
            if (previous is null)
            {
                entry = code < 256 ? table[code] : throw new InvalidDataException($"Code {code} right after a clear code.");
            }
            else
            {
                entry = code < table.Count ? table[code]
                    : code == table.Count ? [.. previous, previous[0]]
                    : throw new InvalidDataException($"Code {code} is beyond the table's {table.Count} entries.");
                if (table.Count < 4096)
                {
                    table.Add([.. previous, entry[0]]);
                }
            }
            output.AddRange(entry);
            previous = entry;
            if (table.Count == 1 << codeSize && codeSize < 12)
            {
                codeSize++;
            }
        }
    }
}
