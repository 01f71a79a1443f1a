namespace Wav2Vec2Sharp.Plotting;

/// <summary>CRC-32 (ISO-HDLC polynomial 0xEDB88320, as used by PNG and zlib containers).</summary>
internal static class Crc32
{
    /// <summary>Initial register value.</summary>
    public const uint Start = 0xFFFFFFFFu;

    private static readonly uint[] _table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Start, data));

    /// <summary>Feeds <paramref name="data"/> into a running register.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
            crc = _table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    /// <summary>Turns a running register into the checksum.</summary>
    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
