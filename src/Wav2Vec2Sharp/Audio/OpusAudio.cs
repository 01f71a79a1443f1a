using System.Buffers.Binary;
using Concentus;

namespace Wav2Vec2Sharp.Audio;

/// <summary>One Opus packet of a stream, and how many decoded samples (per channel, at 48 kHz) to drop from its end.</summary>
/// <param name="Data">The packet.</param>
/// <param name="DiscardAtEnd">Samples of padding at its end (WebM's DiscardPadding); 0 for none.</param>
internal readonly record struct OpusPacket(ReadOnlyMemory<byte> Data, int DiscardAtEnd = 0);

/// <summary>
/// The Opus part shared by the Ogg and WebM readers: the <c>OpusHead</c> fields (RFC 7845) and the packets decoded at
/// 48 kHz by Concentus (a managed port of libopus), the pre-skip dropped and the channels averaged to mono.
/// </summary>
internal static class OpusAudio
{
    /// <summary>The rate Opus decodes at, whatever the input rate noted in <c>OpusHead</c>.</summary>
    public const int SampleRate = 48000;

    private const int MaxFrameSamples = 5760; // 120 ms at 48 kHz, the longest Opus packet

    /// <summary>Whether <paramref name="head"/> starts like an <c>OpusHead</c> packet of at least the 19 bytes of its fixed part.</summary>
    public static bool IsOpusHead(ReadOnlySpan<byte> head) => head.Length >= 19 && head.StartsWith("OpusHead"u8);

    /// <summary>The channel count and pre-skip of an <c>OpusHead</c> (see <see cref="IsOpusHead"/>); mono and stereo only.</summary>
    /// <param name="head">The <c>OpusHead</c> packet.</param>
    /// <param name="path">The file, for error messages.</param>
    /// <param name="stream">What the stream is called in error messages, e.g. <c>"Ogg Opus"</c>.</param>
    public static (int Channels, int PreSkip) ReadHead(ReadOnlySpan<byte> head, string path, string stream)
    {
        int channels = head[9], family = head[18];
        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(head[10..]);
        if (family != 0 || channels is < 1 or > 2)
            throw new AudioDecodeException(path, $"unsupported {stream} stream ({channels} channels, channel mapping family {family}; mono and stereo are supported)");
        return (channels, preSkip);
    }

    /// <summary>
    /// Decodes <paramref name="packets"/> in order and averages them to mono at 48 kHz, each packet's
    /// <see cref="OpusPacket.DiscardAtEnd"/> dropped, then the first <paramref name="preSkip"/> samples, and the end cut
    /// at <paramref name="end"/> (a granule position: samples counted from the start, pre-skip included) when it is not negative.
    /// </summary>
    /// <exception cref="AudioDecodeException">A packet is corrupt, or nothing is left after the pre-skip.</exception>
    public static DecodedAudio Decode(IEnumerable<OpusPacket> packets, int channels, int preSkip, long end, string path, string stream)
    {
        try
        {
            var decoder = OpusCodecFactory.CreateDecoder(SampleRate, channels, null);
            var pcm = new float[MaxFrameSamples * channels];
            var mono = new List<float>();
            foreach (var packet in packets)
            {
                int frames = decoder.Decode(packet.Data.Span, pcm, MaxFrameSamples, false);
                for (int f = 0; f < frames; f++)
                    mono.Add(channels == 1 ? pcm[f] : (pcm[2 * f] + pcm[2 * f + 1]) / 2);
                int discard = Math.Clamp(packet.DiscardAtEnd, 0, frames);
                mono.RemoveRange(mono.Count - discard, discard);
            }
            long last = end >= 0 ? Math.Min(mono.Count, Math.Max(preSkip, end)) : mono.Count;
            if (last <= preSkip)
                throw new AudioDecodeException(path, $"the {stream} stream holds no audio");
            return new DecodedAudio(mono.GetRange(preSkip, (int)(last - preSkip)).ToArray(), SampleRate, channels);
        }
        catch (AudioDecodeException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new AudioDecodeException(path, $"corrupt Opus data ({e.Message.TrimEnd('.')})", e);
        }
    }
}
