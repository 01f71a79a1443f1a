using NLayer;
using NVorbis;

namespace Wav2Vec2Sharp.Audio;

/// <summary>MPEG audio (MP3) through NLayer, and Ogg Vorbis through NVorbis, their failures turned into <see cref="AudioDecodeException"/>.</summary>
internal static class CompressedDecoders
{
    private const int ChunkFrames = 4096;

    // Samples by which an MPEG audio decoder's output lags its input (the synthesis filter bank and the overlap of the
    // inverse MDCT): 528 + 1, the figure LAME and FFmpeg use for gapless playback.
    private const int Mp3DecoderDelay = 529;

    /// <summary>
    /// Decodes an MPEG-1/2/2.5 layer I-III stream (an ID3v2 tag in front is allowed); a cut-off last frame is an error.
    /// The samples are those the encoder was given: the decoder's delay is removed, and so are the encoder's delay and
    /// end padding when a LAME tag records them (without one they stay, about 576 samples for LAME).
    /// </summary>
    public static DecodedAudio DecodeMp3(byte[] data, string path)
    {
        int firstFrame = Mp3Frames.FirstFrame(data);
        Mp3Frames.CheckComplete(data, firstFrame, path);
        try
        {
            // NLayer would apply the LAME tag (or an ID3v2 iTunSMPB frame) itself but not the decoder delay, cutting the
            // stream's end short by it: it gets the audio frames alone, decodes every one, and the trimming happens below.
            var info = Mp3Frames.FindInfoFrame(data, firstFrame);
            int first = info is { } frame ? frame.Offset + frame.Length : Math.Max(firstFrame, 0);
            using var stream = new MemoryStream(data, first, data.Length - first, writable: false);
            using var mpeg = new MpegFile(stream);
            int channels = mpeg.Channels;
            int rate = mpeg.SampleRate;
            if (channels <= 0 || rate <= 0)
                throw new AudioDecodeException(path, $"corrupt MPEG audio header ({channels} channels at {rate} Hz)");
            // samples [delay + 529, N + 529 - padding) of the N decoded; N is known from the frame headers
            int delay = info?.EncoderDelay ?? 0;
            long skip = delay + Mp3DecoderDelay;
            long? decodedLength = Mp3Frames.SamplesPerChannel(data, first);
            long? keep = decodedLength is long n ? Math.Clamp(n + Mp3DecoderDelay - (info?.Padding ?? Mp3DecoderDelay), Math.Min(skip, n), n) - Math.Min(skip, n) : null;
            var decoded = MixDown(channels, rate, mpeg.ReadSamples, skip, keep);
            if (keep is null && info?.Padding is int padding) // frame headers that did not add up: trim the end afterwards
                decoded = decoded with { Samples = decoded.Samples[..(int)Math.Clamp(decoded.Samples.Length + Mp3DecoderDelay - padding, 0, decoded.Samples.Length)] };
            return decoded;
        }
        catch (AudioDecodeException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new AudioDecodeException(path, $"corrupt MP3 data ({e.Message.TrimEnd('.')})", e);
        }
    }

    /// <summary>Decodes the first logical Vorbis stream of an Ogg file; a cut-off page or a stream without its last page is an error.</summary>
    public static DecodedAudio DecodeVorbis(byte[] data, string path)
    {
        if (!OggOpusDecoder.ReadPackets(data, path).Ended) // NVorbis decodes what it finds; the pages tell whether that is all
            throw new AudioDecodeException(path, "truncated Ogg Vorbis stream (its last page, which ends the stream, is missing)");
        try
        {
            using var stream = new MemoryStream(data, writable: false);
            using var vorbis = new VorbisReader(stream, closeOnDispose: false);
            int channels = vorbis.Channels;
            int rate = vorbis.SampleRate;
            if (channels <= 0 || rate <= 0)
                throw new AudioDecodeException(path, $"corrupt Vorbis header ({channels} channels at {rate} Hz)");
            return MixDown(channels, rate, vorbis.ReadSamples);
        }
        catch (AudioDecodeException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new AudioDecodeException(path, $"corrupt Ogg Vorbis data ({e.Message.TrimEnd('.')})", e);
        }
    }

    /// <summary>
    /// Reads interleaved float samples until the decoder runs dry and averages them to mono, dropping the first
    /// <paramref name="skip"/> sample frames and, when <paramref name="keep"/> is known, keeping that many into an array of
    /// exactly that size (a long recording is then held once, not grown and copied).
    /// </summary>
    private static DecodedAudio MixDown(int channels, int rate, Func<float[], int, int, int> read, long skip = 0, long? keep = null)
    {
        var buffer = new float[ChunkFrames * channels];
        var exact = keep is long count ? new float[count] : null;
        var chunks = new List<float[]>();
        long frame = 0, written = 0;
        int carried = 0; // samples of an incomplete frame kept at the start of the buffer
        while (exact is null || written < exact.Length)
        {
            int got = read(buffer, carried, buffer.Length - carried);
            if (got <= 0)
                break;
            int total = carried + got;
            int frames = total / channels;
            var chunk = exact is null ? new float[frames] : null;
            int inChunk = 0;
            for (int f = 0; f < frames; f++, frame++)
            {
                if (frame < skip)
                    continue;
                double sum = 0;
                for (int c = 0; c < channels; c++)
                    sum += buffer[f * channels + c];
                if (exact is null)
                    chunk![inChunk++] = (float)(sum / channels);
                else if (written < exact.Length)
                    exact[written++] = (float)(sum / channels);
            }
            if (chunk is not null && inChunk > 0)
                chunks.Add(inChunk == chunk.Length ? chunk : chunk[..inChunk]);
            carried = total - frames * channels;
            Array.Copy(buffer, frames * channels, buffer, 0, carried);
        }
        if (exact is not null)
            return new DecodedAudio(written == exact.Length ? exact : exact[..(int)written], rate, channels);
        var mono = new float[chunks.Sum(c => (long)c.Length)];
        long at = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(mono, at);
            at += chunk.Length;
        }
        return new DecodedAudio(mono, rate, channels);
    }
}
