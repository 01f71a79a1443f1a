using System.Buffers.Binary;

namespace Wav2Vec2Sharp.Audio;

/// <summary>
/// Random access to the samples of a WAV file already at the wanted sampling rate, without loading it: the header is
/// parsed chunk by chunk, then any range of sample frames is read and mixed to mono on demand. Lets a long recording be
/// transcribed window by window with memory independent of its length.
/// </summary>
public sealed class WavStreamReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly WavDecoder.WavFormat _format;
    private readonly long _dataOffset;
    private byte[] _buffer = [];

    private WavStreamReader(FileStream stream, WavDecoder.WavFormat format, long dataOffset, long frames)
    {
        _stream = stream;
        _format = format;
        _dataOffset = dataOffset;
        SampleCount = frames;
    }

    /// <summary>Sample frames in the file (one mono sample each after mixing).</summary>
    public long SampleCount { get; }

    /// <summary>
    /// Opens <paramref name="path"/> when it is a RIFF/RF64 WAVE file (PCM or float) at <paramref name="sampleRate"/>;
    /// null for anything else (other formats and rates go through <see cref="AudioFile.Load"/>, which also reports errors).
    /// </summary>
    public static WavStreamReader? TryOpen(string path, int sampleRate)
    {
        FileStream? stream = null;
        try
        {
            stream = File.OpenRead(path);
            var header = ReadHeader(stream, path);
            if (header is not { } h || h.Format.SampleRate != sampleRate)
            {
                stream.Dispose();
                return null;
            }
            return new WavStreamReader(stream, h.Format, h.DataOffset, h.DataLength / h.Format.BlockAlign);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AudioDecodeException)
        {
            stream?.Dispose();
            return null;
        }
    }

    /// <summary>Fills <paramref name="destination"/> with mono samples starting at frame <paramref name="offset"/>.</summary>
    public void Read(long offset, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset + destination.Length > SampleCount)
            throw new ArgumentOutOfRangeException(nameof(offset), $"frames {offset}..{offset + destination.Length} lie beyond the file's {SampleCount}");
        int bytes = destination.Length * _format.BlockAlign;
        if (_buffer.Length < bytes)
            _buffer = new byte[bytes];
        _stream.Position = _dataOffset + offset * _format.BlockAlign;
        _stream.ReadExactly(_buffer, 0, bytes);
        WavDecoder.Convert(_buffer.AsSpan(0, bytes), _format, destination);
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private static (WavDecoder.WavFormat Format, long DataOffset, long DataLength)? ReadHeader(FileStream stream, string path)
    {
        Span<byte> head = stackalloc byte[12];
        if (stream.Read(head) != 12 || !(head[..4].SequenceEqual("RIFF"u8) || head[..4].SequenceEqual("RF64"u8)) || !head[8..].SequenceEqual("WAVE"u8))
            return null;
        bool rf64 = head[..4].SequenceEqual("RF64"u8);
        byte[]? fmt = null;
        long rf64DataSize = -1;
        Span<byte> chunk = stackalloc byte[8];
        while (stream.Read(chunk) == 8)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            long body = stream.Position;
            if (chunk[..4].SequenceEqual("data"u8))
            {
                if (fmt is null)
                    return null;
                long available = stream.Length - body;
                long length = rf64 && size == 0xFFFFFFFF && rf64DataSize >= 0 ? rf64DataSize
                    : size is 0 or 0xFFFFFFFF ? available : size;
                if (length > available)
                    return null; // truncated: AudioFile.Load reports it
                return (WavDecoder.ParseFormat(fmt, path), body, length);
            }
            if (chunk[..4].SequenceEqual("fmt "u8) || (rf64 && chunk[..4].SequenceEqual("ds64"u8)))
            {
                var content = new byte[Math.Min(size, 64u)];
                if (stream.Read(content) != content.Length)
                    return null;
                if (chunk[0] == (byte)'f')
                    fmt = content;
                else if (content.Length >= 16)
                    rf64DataSize = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(content.AsSpan(8)), (ulong)long.MaxValue);
            }
            stream.Position = body + size + (size & 1);
        }
        return null;
    }
}
