using System.Buffers.Binary;
using Concentus;

namespace Wav2Vec2Sharp.Audio;

/// <summary>
/// Ogg Opus (RFC 7845: voice notes, browser and phone recordings): the Ogg pages of the first logical stream are joined
/// into packets; <c>OpusHead</c> gives the channels (mono or stereo, channel mapping family 0) and the pre-skip; every
/// audio packet is decoded at 48 kHz by Concentus (a managed port of libopus); the pre-skip is dropped and the end cut
/// at the last page's granule position, and the channels are averaged to mono.
/// </summary>
/// <remarks>The container reader is ours because NuGet's Concentus 2 decodes Opus packets but reads no Ogg.</remarks>
internal static class OggOpusDecoder
{
    private const int Rate = 48000, MaxFrameSamples = 5760; // 120 ms at 48 kHz, the longest Opus packet

    public static DecodedAudio Decode(byte[] data, string path)
    {
        var (packets, lastGranule) = Packets(data, path);
        if (packets.Count < 2)
            throw new AudioDecodeException(path, "truncated Ogg Opus stream (no OpusTags header)");
        var head = packets[0];
        if (head.Length < 19 || !head.AsSpan(0, 8).SequenceEqual("OpusHead"u8))
            throw new AudioDecodeException(path, "corrupt Ogg Opus stream (the first packet is not OpusHead)");
        int channels = head[9], family = head[18];
        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        if (family != 0 || channels is < 1 or > 2)
            throw new AudioDecodeException(path, $"unsupported Ogg Opus stream ({channels} channels, channel mapping family {family}; mono and stereo are supported)");
        try
        {
            var decoder = OpusCodecFactory.CreateDecoder(Rate, channels, null);
            var pcm = new float[MaxFrameSamples * channels];
            var mono = new List<float>();
            foreach (var packet in packets.Skip(2))
            {
                int frames = decoder.Decode(packet, pcm, MaxFrameSamples, false);
                for (int f = 0; f < frames; f++)
                    mono.Add(channels == 1 ? pcm[f] : (pcm[2 * f] + pcm[2 * f + 1]) / 2);
            }
            long end = lastGranule >= 0 ? Math.Min(mono.Count, Math.Max(preSkip, lastGranule)) : mono.Count;
            if (end <= preSkip)
                throw new AudioDecodeException(path, "the Ogg Opus stream holds no audio");
            return new DecodedAudio(mono.GetRange(preSkip, (int)(end - preSkip)).ToArray(), Rate, channels);
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

    // The packets of the first logical stream, and the granule position of its last page (-1 when none is set).
    private static (List<byte[]> Packets, long LastGranule) Packets(byte[] data, string path)
    {
        var packets = new List<byte[]>();
        var partial = new MemoryStream();
        long lastGranule = -1;
        int? serial = null;
        int offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 27 || !data.AsSpan(offset, 4).SequenceEqual("OggS"u8))
                throw new AudioDecodeException(path, $"corrupt Ogg page at byte {offset}");
            int segments = data[offset + 26];
            int bodyStart = offset + 27 + segments;
            if (bodyStart > data.Length)
                throw new AudioDecodeException(path, $"truncated Ogg page at byte {offset}");
            var lacing = data.AsSpan(offset + 27, segments);
            int bodyLength = 0;
            foreach (var size in lacing)
                bodyLength += size;
            if (bodyStart + bodyLength > data.Length)
                throw new AudioDecodeException(path, $"truncated Ogg page at byte {offset} (expected {bodyLength} body bytes, found {data.Length - bodyStart})");
            int pageSerial = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset + 14));
            serial ??= pageSerial;
            if (pageSerial == serial)
            {
                long granule = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(offset + 6));
                if (granule != -1)
                    lastGranule = granule;
                int position = bodyStart;
                foreach (var size in lacing)
                {
                    partial.Write(data, position, size);
                    position += size;
                    if (size < 255)
                    {
                        packets.Add(partial.ToArray());
                        partial.SetLength(0);
                    }
                }
            }
            offset = bodyStart + bodyLength;
        }
        return (packets, lastGranule);
    }
}
