using System.Buffers.Binary;

namespace Wav2Vec2Sharp.Audio;

/// <summary>
/// Ogg Opus (RFC 7845: voice notes, browser and phone recordings): the Ogg pages of the first logical stream are joined
/// into packets; <c>OpusHead</c> gives the channels (mono or stereo, channel mapping family 0) and the pre-skip; every
/// audio packet is decoded at 48 kHz by Concentus (a managed port of libopus); the pre-skip is dropped and the end cut
/// at the last page's granule position, and the channels are averaged to mono.
/// </summary>
/// <remarks>
/// The container reader is ours because NuGet's Concentus 2 decodes Opus packets but reads no Ogg; the Opus part is
/// shared with the WebM reader (<see cref="OpusAudio"/>).
/// </remarks>
internal static class OggOpusDecoder
{
    private const string StreamName = "Ogg Opus";

    public static DecodedAudio Decode(byte[] data, string path)
    {
        var (packets, lastGranule, ended) = ReadPackets(data, path);
        if (packets.Count >= 2 && !ended)
            throw new AudioDecodeException(path, "truncated Ogg Opus stream (its last page, which ends the stream, is missing)");
        if (packets.Count < 2)
            throw new AudioDecodeException(path, "truncated Ogg Opus stream (no OpusTags header)");
        if (!OpusAudio.IsOpusHead(packets[0]))
            throw new AudioDecodeException(path, "corrupt Ogg Opus stream (the first packet is not OpusHead)");
        var (channels, preSkip) = OpusAudio.ReadHead(packets[0], path, StreamName);
        return OpusAudio.Decode(packets.Skip(2).Select(p => new OpusPacket(p)), channels, preSkip, lastGranule, path, StreamName);
    }

    /// <summary>
    /// The packets of the first logical stream, the granule position of its last page (-1 when none is set), and whether
    /// that page ends the stream (its end-of-stream flag: a file cut at a page boundary lacks it).
    /// </summary>
    internal static (List<byte[]> Packets, long LastGranule, bool Ended) ReadPackets(byte[] data, string path)
    {
        bool ended = false;
        var packets = new List<byte[]>();
        var partial = new MemoryStream();
        long lastGranule = -1;
        int? serial = null;
        int offset = 0;
        while (offset < data.Length)
        {
            if (offset > 0 && !"OggS"u8.StartsWith(data.AsSpan(offset, Math.Min(4, data.Length - offset))))
                break; // bytes after the last page that are not one (a tag some tools append): the stream ended before them
            if (data.Length - offset < 27 || !data.AsSpan(offset, 4).SequenceEqual("OggS"u8))
                throw new AudioDecodeException(path, offset == 0 ? "corrupt Ogg page at byte 0" : $"truncated Ogg page at byte {offset}");
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
                ended = (data[offset + 5] & 0x04) != 0;
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
        return (packets, lastGranule, ended);
    }
}
