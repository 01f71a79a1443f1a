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
            var header = WavHeader.Read(stream, path);
            if (header.Format.SampleRate == sampleRate)
                return new WavStreamReader(stream, header.Format, header.DataOffset, header.DataLength / header.Format.BlockAlign);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AudioDecodeException)
        {
        }
        stream?.Dispose();
        return null;
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
}
