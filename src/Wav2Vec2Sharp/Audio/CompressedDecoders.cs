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
        Mp3Frames.CheckComplete(data, path);
        try
        {
            // NLayer would apply the LAME tag (or an ID3v2 iTunSMPB frame) itself but not the decoder delay, cutting the
            // stream's end short by it: it gets the audio frames alone, decodes every one, and the trimming happens below.
            var info = Mp3Frames.FindInfoFrame(data);
            int first = info is { } frame ? frame.Offset + frame.Length : Math.Max(Mp3Frames.FirstFrame(data), 0);
            var audio = first == 0 ? data : data[first..];
            using var stream = new MemoryStream(audio, writable: false);
            using var mpeg = new MpegFile(stream);
            int channels = mpeg.Channels;
            int rate = mpeg.SampleRate;
            if (channels <= 0 || rate <= 0)
                throw new AudioDecodeException(path, $"corrupt MPEG audio header ({channels} channels at {rate} Hz)");
            var decoded = MixDown(channels, rate, mpeg.ReadSamples);
            int delay = info?.EncoderDelay ?? 0;
            int start = Math.Min(delay + Mp3DecoderDelay, decoded.Samples.Length);
            int end = info?.Padding is int padding ? decoded.Samples.Length - delay - padding + start : decoded.Samples.Length;
            end = Math.Clamp(end, start, decoded.Samples.Length);
            return decoded with { Samples = decoded.Samples[start..end] };
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

    /// <summary>Reads interleaved float samples until the decoder runs dry and averages them to mono.</summary>
    private static DecodedAudio MixDown(int channels, int rate, Func<float[], int, int, int> read)
    {
        var buffer = new float[ChunkFrames * channels];
        var mono = new List<float>();
        int carried = 0; // samples of an incomplete frame kept at the start of the buffer
        while (true)
        {
            int got = read(buffer, carried, buffer.Length - carried);
            if (got <= 0)
                break;
            int total = carried + got;
            int frames = total / channels;
            for (int f = 0; f < frames; f++)
            {
                double sum = 0;
                for (int c = 0; c < channels; c++)
                    sum += buffer[f * channels + c];
                mono.Add((float)(sum / channels));
            }
            carried = total - frames * channels;
            Array.Copy(buffer, frames * channels, buffer, 0, carried);
        }
        return new DecodedAudio(mono.ToArray(), rate, channels);
    }
}
