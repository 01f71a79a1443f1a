using Wav2Vec2Sharp.Audio.Flac;
using Wav2Vec2Sharp.Audio.Webm;

namespace Wav2Vec2Sharp.Audio;

/// <summary>
/// Reads audio files into mono float samples. The format is detected from the file's first bytes, never from its
/// extension: RIFF/WAVE or RF64 (<c>"wav"</c>), <c>fLaC</c> (<c>"flac"</c>), an ID3v2 tag or an MPEG audio frame
/// sync (<c>"mp3"</c>; an ID3v2 tag in front of <c>fLaC</c> is read as FLAC), <c>OggS</c> with a Vorbis stream (<c>"ogg"</c>) or an Opus one (<c>"opus"</c>),
/// and the EBML magic <c>1A 45 DF A3</c> of WebM/Matroska with an Opus track (<c>"webm"</c>, what browsers' MediaRecorder makes).
/// </summary>
/// <remarks>
/// Every failure (missing file, unknown format, corrupt or truncated header or data, no samples, NaN or infinite
/// samples) is reported as an <see cref="AudioDecodeException"/> whose message names the file and the problem.
/// Files are read into memory whole, so they are limited to 2 GiB.
/// </remarks>
public static class AudioFile
{
    /// <summary>The sample rate wav2vec 2.0 models expect, in Hz.</summary>
    public const int DefaultSampleRate = 16000;

    /// <summary>Reads and decodes <paramref name="path"/>, mixed down to mono at the file's own sample rate.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The decoded clip.</returns>
    /// <exception cref="AudioDecodeException">The file is missing or unreadable, or it cannot be decoded.</exception>
    public static AudioClip Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] data;
        try
        {
            if (!File.Exists(path))
                throw new AudioDecodeException(path, Directory.Exists(path) ? "is a directory, not an audio file" : "file not found");
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new AudioDecodeException(path, $"cannot read file ({e.Message.TrimEnd('.')})", e);
        }
        return Decode(data, path);
    }

    /// <summary>Decodes an audio file already in memory.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="name">The name used in error messages, e.g. the file's path.</param>
    /// <returns>The decoded clip, mixed down to mono at the file's own sample rate.</returns>
    /// <exception cref="AudioDecodeException">The data cannot be decoded.</exception>
    public static AudioClip Decode(byte[] data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(name);
        var (decoded, format) = DecodeByMagic(data, name);
        Validate(decoded.Samples, name);
        return new AudioClip(decoded.Samples, decoded.SampleRate, decoded.Channels, format);
    }

    /// <summary>
    /// Reads <paramref name="path"/> as mono samples at <paramref name="targetSampleRate"/>, resampled with
    /// <see cref="Resampler"/> when the file's rate differs (the length is then as <see cref="Resampler.OutputLength"/> says).
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="targetSampleRate">The sample rate wanted, in Hz; 16 kHz by default, as wav2vec 2.0 expects.</param>
    /// <returns>Mono samples at <paramref name="targetSampleRate"/>.</returns>
    /// <exception cref="AudioDecodeException">The file is missing or unreadable, or it cannot be decoded.</exception>
    public static float[] Load(string path, int targetSampleRate = DefaultSampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetSampleRate);
        return Read(path).SamplesAt(targetSampleRate);
    }

    private static (DecodedAudio Audio, string Format) DecodeByMagic(byte[] data, string name)
    {
        var head = data.AsSpan();
        if (head.StartsWith("RIFF"u8) || head.StartsWith("RF64"u8))
            return (WavDecoder.Decode(data, name), "wav");
        if (head.StartsWith("fLaC"u8))
            return (FlacDecoder.Decode(data, 0, name), "flac");
        if (head.StartsWith("ID3"u8))
        {
            int after = SkipId3v2(data, name);
            if (data.AsSpan(after).StartsWith("fLaC"u8))
                return (FlacDecoder.Decode(data, after, name), "flac");
            return (CompressedDecoders.DecodeMp3(data, name), "mp3");
        }
        if (IsMpegFrameSync(head))
            return (CompressedDecoders.DecodeMp3(data, name), "mp3");
        if (head.StartsWith("OggS"u8))
        {
            if (CheckOggCodec(data, name) == "Opus")
                return (OggOpusDecoder.Decode(data, name), "opus");
            return (CompressedDecoders.DecodeVorbis(data, name), "ogg");
        }
        if (head.StartsWith(WebmDemuxer.Magic))
            return (WebmOpusDecoder.Decode(data, name), "webm");
        if (head.StartsWith("RIFX"u8))
            throw new AudioDecodeException(name, "unsupported format (big-endian RIFX WAV)");
        if (data.Length == 0)
            throw new AudioDecodeException(name, "empty file");
        string first = Convert.ToHexString(head[..Math.Min(4, head.Length)]);
        throw new AudioDecodeException(name, $"unrecognised audio format (starts with bytes {first}; expected WAV, FLAC, MP3, Ogg Vorbis, Ogg Opus or WebM Opus)");
    }

    /// <summary>The offset just past an ID3v2 tag (header, syncsafe size, optional footer).</summary>
    private static int SkipId3v2(byte[] data, string name)
    {
        if (data.Length < 10)
            throw new AudioDecodeException(name, $"truncated ID3v2 tag header (expected 10 bytes, found {data.Length})");
        int size = (data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14 | (data[8] & 0x7F) << 7 | (data[9] & 0x7F);
        int end = 10 + size + ((data[5] & 0x10) != 0 ? 10 : 0);
        if (end > data.Length)
            throw new AudioDecodeException(name, $"truncated ID3v2 tag (expected {end} bytes, found {data.Length})");
        return end;
    }

    /// <summary>An MPEG audio frame header: 11 sync bits, a version other than 'reserved', a layer other than 'reserved'.</summary>
    private static bool IsMpegFrameSync(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 &&
        ((head[1] >> 3) & 3) != 1 && ((head[1] >> 1) & 3) != 0 && (head[2] >> 4) != 15 && ((head[2] >> 2) & 3) != 3;

    /// <summary>"Vorbis" or "Opus", the codecs read; any other codec of an Ogg stream is named in an error, rather than left to a decoder to fail obscurely.</summary>
    private static string CheckOggCodec(byte[] data, string name)
    {
        if (data.Length < 27)
            throw new AudioDecodeException(name, $"truncated Ogg page header (expected 27 bytes, found {data.Length})");
        int segments = data[26];
        int packet = 27 + segments;
        var body = data.AsSpan(Math.Min(packet, data.Length));
        if (body.Length < 7)
            throw new AudioDecodeException(name, "truncated Ogg page (no codec header)");
        if (body.StartsWith("\u0001vorbis"u8))
            return "Vorbis";
        if (body.StartsWith("OpusHead"u8))
            return "Opus";
        string codec = body.StartsWith("\u007FFLAC"u8) ? "FLAC"
            : body.StartsWith("Speex"u8) ? "Speex"
            : "an unknown codec";
        throw new AudioDecodeException(name, $"unsupported format (Ogg stream holds {codec}; only Ogg Vorbis and Ogg Opus are supported)");
    }

    private static void Validate(float[] samples, string name)
    {
        if (samples.Length == 0)
            throw new AudioDecodeException(name, "no audio samples (zero-length audio)");
        for (int i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
            {
                string value = float.IsNaN(samples[i]) ? "NaN" : samples[i] > 0 ? "+infinity" : "-infinity";
                throw new AudioDecodeException(name, $"non-finite sample value ({value}) at sample {i}");
            }
        }
    }
}
