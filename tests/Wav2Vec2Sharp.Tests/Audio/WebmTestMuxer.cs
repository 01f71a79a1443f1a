using System.Buffers.Binary;
using System.Text;
using Concentus.Structs;
using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Tests.Audio;

/// <summary>
/// Re-muxes the Opus packets of an Ogg Opus file into WebM. By default as Chromium's MediaRecorder writes it (libwebm in
/// live mode): an EBML header with DocType <c>webm</c>, a Segment and Clusters of unknown size, Info, Tracks with one
/// <c>A_OPUS</c> TrackEntry whose CodecPrivate is the <c>OpusHead</c>, a new Cluster about every second, SimpleBlocks
/// without lacing. The options give the other layouts a demuxer must read: known sizes, BlockGroups with
/// DiscardPadding, laced blocks, another codec.
/// </summary>
internal sealed class WebmTestMuxer
{
    private const byte Xiph = 1, Ebml = 3;

    /// <summary>The muxer of the packets of <paramref name="oggOpusPath"/>.</summary>
    public WebmTestMuxer(string oggOpusPath)
    {
        var (packets, lastGranule, _) = OggOpusDecoder.ReadPackets(File.ReadAllBytes(oggOpusPath), oggOpusPath);
        OpusHead = packets[0];
        Packets = packets.Skip(2).ToList();
        LastGranule = lastGranule;
    }

    public byte[] OpusHead { get; }

    /// <summary>The audio packets, without OpusHead and OpusTags.</summary>
    public IReadOnlyList<byte[]> Packets { get; }

    /// <summary>The Ogg stream's end, in samples at 48 kHz from the start (pre-skip included).</summary>
    public long LastGranule { get; }

    public int Channels => OpusHead[9];

    public int PreSkip => BinaryPrimitives.ReadUInt16LittleEndian(OpusHead.AsSpan(10));

    /// <summary>The samples per channel the packets decode to, at 48 kHz.</summary>
    public int[] PacketSamples => [.. Packets.Select(p => OpusPacketInfo.GetNumSamples(p, 48000))];

    public string CodecId { get; init; } = "A_OPUS";

    public string DocType { get; init; } = "webm";

    /// <summary>Seconds of audio per Cluster.</summary>
    public double ClusterSeconds { get; init; } = 1.0;

    /// <summary>BlockGroup → Block instead of SimpleBlock, Segment and Clusters of known size, a SeekHead and Cues.</summary>
    public bool BlockGroups { get; init; }

    /// <summary>With <see cref="BlockGroups"/>: the DiscardPadding of the last block, in samples at 48 kHz (0 for none).</summary>
    public int DiscardAtEnd { get; init; }

    /// <summary>0 for none, 1 for Xiph, 3 for EBML lacing of <see cref="PacketsPerBlock"/> packets in a block.</summary>
    public byte Lacing { get; init; }

    public int PacketsPerBlock { get; init; } = 3;

    /// <summary>The WebM file.</summary>
    public byte[] Build()
    {
        var header = Element(0x1A45DFA3,
            UInt(0x4286, 1), UInt(0x42F7, 1), UInt(0x42F2, 4), UInt(0x42F3, 8),
            Text(0x4282, DocType), UInt(0x4287, 4), UInt(0x4285, 2));
        var info = Element(0x1549A966, UInt(0x2AD7B1, 1_000_000), Text(0x4D80, "Chrome"), Text(0x5741, "Chrome"));
        var audio = Element(0xE1, Float(0xB5, 48000), UInt(0x9F, (ulong)Channels));
        var entry = Element(0xAE,
            UInt(0xD7, 1), UInt(0x73C5, 0x5EED), UInt(0x83, 2), Text(0x86, CodecId),
            Element(0x63A2, OpusHead), UInt(0x56BB, 80_000_000), audio); // SeekPreRoll: skipped
        var tracks = Element(0x1654AE6B, entry);
        var clusters = Clusters();
        var body = new List<byte[]>();
        if (BlockGroups)
            body.Add(Element(0x114D9B74, Element(0x4DBB, Element(0x53AB, Id(0x1654AE6B)), UInt(0x53AC, 0)))); // SeekHead
        body.AddRange([info, Element(0xEC, new byte[16]), tracks]); // and a Void
        body.AddRange(clusters);
        if (BlockGroups)
            body.Add(Element(0x1C53BB6B, Element(0xBB, UInt(0xB3, 0), Element(0xB7, UInt(0xF7, 1), UInt(0xF1, 0))))); // Cues
        var segment = BlockGroups ? Element(0x18538067, [.. body]) : UnknownSized(0x18538067, [.. body]);
        return [.. header, .. segment];
    }

    private List<byte[]> Clusters()
    {
        var samples = PacketSamples;
        var clusters = new List<byte[]>();
        var blocks = new List<byte[]>();
        int per = Lacing == 0 ? 1 : PacketsPerBlock;
        long start = 0, clusterStart = 0; // in samples at 48 kHz
        for (int first = 0; first < Packets.Count; first += per)
        {
            if (blocks.Count > 0 && start - clusterStart >= ClusterSeconds * 48000)
            {
                clusters.Add(Cluster(clusterStart, blocks));
                blocks.Clear();
                clusterStart = start;
            }
            var group = Packets.Skip(first).Take(per).ToList();
            short timecode = (short)((start - clusterStart) / 48);
            bool last = first + per >= Packets.Count;
            blocks.Add(Block(group, timecode, last));
            start += samples.Skip(first).Take(per).Sum();
        }
        clusters.Add(Cluster(clusterStart, blocks));
        return clusters;
    }

    private byte[] Cluster(long startSamples, List<byte[]> blocks)
    {
        byte[][] children = [UInt(0xE7, (ulong)(startSamples / 48)), .. blocks];
        return BlockGroups ? Element(0x1F43B675, children) : UnknownSized(0x1F43B675, children);
    }

    private byte[] Block(List<byte[]> packets, short timecode, bool last)
    {
        var block = new List<byte> { 0x81, (byte)(timecode >> 8), (byte)timecode }; // track 1
        byte flags = (byte)((BlockGroups ? 0 : 0x80) | (packets.Count > 1 ? Lacing << 1 : 0)); // keyframe (SimpleBlock only), lacing
        block.Add(flags);
        if (packets.Count > 1)
        {
            block.Add((byte)(packets.Count - 1));
            for (int i = 0; i < packets.Count - 1; i++)
            {
                if (Lacing == Xiph)
                {
                    int size = packets[i].Length;
                    for (; size >= 255; size -= 255)
                        block.Add(255);
                    block.Add((byte)size);
                }
                else if (Lacing == Ebml)
                {
                    long value = i == 0 ? packets[0].Length : packets[i].Length - packets[i - 1].Length + 8191; // 2-byte signed vint
                    block.AddRange(i == 0 ? Size(value) : [(byte)(0x40 | (value >> 8)), (byte)value]);
                }
                else
                {
                    throw new InvalidOperationException("fixed-size lacing needs packets of one size");
                }
            }
        }
        foreach (var packet in packets)
            block.AddRange(packet);
        if (!BlockGroups)
            return Element(0xA3, [.. block]);
        var discard = last && DiscardAtEnd > 0 ? Int(0x75A2, (long)Math.Round(DiscardAtEnd * 1e9 / 48000)) : [];
        return Element(0xA0, Element(0xA1, [.. block]), discard);
    }

    public static byte[] Id(uint id)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, id);
        return bytes[(id > 0xFFFFFF ? 0 : id > 0xFFFF ? 1 : id > 0xFF ? 2 : 3)..];
    }

    /// <summary>The shortest EBML size field for <paramref name="size"/>.</summary>
    public static byte[] Size(long size)
    {
        int length = 1;
        while (size >= (1L << (7 * length)) - 1)
            length++;
        var bytes = new byte[length];
        for (int i = length - 1; i >= 0; i--, size >>= 8)
            bytes[i] = (byte)size;
        bytes[0] |= (byte)(0x80 >> (length - 1));
        return bytes;
    }

    public static byte[] Element(uint id, params byte[][] children)
    {
        byte[] data = [.. children.SelectMany(c => c)];
        return [.. Id(id), .. Size(data.Length), .. data];
    }

    /// <summary>An element whose size field is the 8-byte "unknown" (all ones), as live recordings write Segment and Cluster.</summary>
    public static byte[] UnknownSized(uint id, params byte[][] children) =>
        [.. Id(id), 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, .. children.SelectMany(c => c)];

    public static byte[] UInt(uint id, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        int skip = 0;
        while (skip < 7 && bytes[skip] == 0)
            skip++;
        return Element(id, bytes[skip..]);
    }

    public static byte[] Int(uint id, long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return Element(id, bytes);
    }

    public static byte[] Float(uint id, float value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteSingleBigEndian(bytes, value);
        return Element(id, bytes);
    }

    public static byte[] Text(uint id, string value) => Element(id, Encoding.ASCII.GetBytes(value));
}
