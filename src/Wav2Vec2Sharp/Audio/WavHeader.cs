using System.Buffers.Binary;

namespace Wav2Vec2Sharp.Audio;

/// <summary>
/// The header of a RIFF/WAVE or RF64 file: its sample format and where the sample data lies. Read chunk by chunk from
/// a stream, so the whole-file decoder (<see cref="WavDecoder"/>) and the window-by-window reader
/// (<see cref="WavStreamReader"/>) share one parser.
/// </summary>
/// <param name="Format">Channels, rate and sample encoding from the fmt chunk.</param>
/// <param name="DataOffset">Byte offset of the first sample frame.</param>
/// <param name="DataLength">Bytes of sample data (whole frames or not; readers round down).</param>
internal readonly record struct WavHeader(WavDecoder.WavFormat Format, long DataOffset, long DataLength)
{
    /// <summary>Parses the header of <paramref name="stream"/> (positioned anywhere; it is read from the start).</summary>
    /// <exception cref="AudioDecodeException">Not a WAVE file, a truncated or missing chunk, or an unsupported format.</exception>
    public static WavHeader Read(Stream stream, string path)
    {
        long length = stream.Length;
        Span<byte> head = stackalloc byte[12];
        stream.Position = 0;
        int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (got < 12)
            throw new AudioDecodeException(path, $"truncated RIFF header (expected 12 bytes, found {got})");
        bool rf64 = head[..4].SequenceEqual("RF64"u8);
        if (!rf64 && !head[..4].SequenceEqual("RIFF"u8))
            throw new AudioDecodeException(path, "not a RIFF or RF64 file");
        if (!head[8..].SequenceEqual("WAVE"u8))
            throw new AudioDecodeException(path, "not a WAVE file (RIFF form type is not 'WAVE')");

        byte[]? fmt = null;
        long dataOffset = -1, dataLength = 0, rf64DataSize = -1;
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> ds64 = stackalloc byte[16];
        long pos = 12;
        while (pos + 8 <= length)
        {
            stream.Position = pos;
            stream.ReadExactly(chunk);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            long body = pos + 8;
            long available = length - body;
            string name = ChunkName(chunk[..4]);

            if (chunk[..4].SequenceEqual("data"u8))
            {
                dataOffset = body;
                if (rf64 && size == 0xFFFFFFFF && rf64DataSize >= 0)
                {
                    if (rf64DataSize > available)
                        throw new AudioDecodeException(path, $"truncated data chunk (expected {rf64DataSize} bytes, found {available})");
                    dataLength = rf64DataSize;
                }
                else if (size == 0 || size == 0xFFFFFFFF)
                {
                    // Written by a streaming tool that never patched the size: the data runs to the end of the file.
                    dataLength = available;
                    break;
                }
                else
                {
                    if (size > available)
                        throw new AudioDecodeException(path, $"truncated data chunk (expected {size} bytes, found {available})");
                    dataLength = size;
                }
                if (fmt is not null)
                    break; // everything needed is known; whatever follows (LIST, id3, ...) is ignored
                pos = body + dataLength + (dataLength & 1);
                continue;
            }

            if (size > available)
            {
                if (dataOffset >= 0 && fmt is not null)
                    break; // a damaged trailing chunk after the audio does not matter
                throw new AudioDecodeException(path, $"truncated {name} chunk (expected {size} bytes, found {available})");
            }

            if (chunk[..4].SequenceEqual("fmt "u8))
            {
                fmt = new byte[size];
                stream.ReadExactly(fmt);
                if (dataOffset >= 0)
                    break;
            }
            else if (chunk[..4].SequenceEqual("ds64"u8) && rf64)
            {
                if (size < 24)
                    throw new AudioDecodeException(path, $"truncated ds64 chunk (expected at least 24 bytes, found {size})");
                stream.ReadExactly(ds64);
                ulong ds = BinaryPrimitives.ReadUInt64LittleEndian(ds64[8..]);
                rf64DataSize = ds > long.MaxValue ? long.MaxValue : (long)ds;
            }
            pos = body + size + (size & 1); // chunks are padded to an even size
        }

        if (fmt is null)
            throw new AudioDecodeException(path, pos + 8 > length && dataOffset < 0
                ? $"truncated header (no fmt chunk in {length} bytes)"
                : "missing fmt chunk");
        if (dataOffset < 0)
            throw new AudioDecodeException(path, "missing data chunk");
        return new WavHeader(WavDecoder.ParseFormat(fmt, path), dataOffset, dataLength);
    }

    private static string ChunkName(ReadOnlySpan<byte> id)
    {
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < 4; i++)
            c[i] = id[i] is >= 0x20 and < 0x7F ? (char)id[i] : '?';
        return "'" + new string(c).TrimEnd() + "'";
    }
}
