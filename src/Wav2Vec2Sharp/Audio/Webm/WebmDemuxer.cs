namespace Wav2Vec2Sharp.Audio.Webm;

/// <summary>A track of a WebM file, as its TrackEntry describes it (0 or empty where an element is absent).</summary>
/// <param name="Number">TrackNumber, which blocks refer to.</param>
/// <param name="Type">TrackType: 1 video, 2 audio, 0 when absent.</param>
/// <param name="CodecId">CodecID, e.g. <c>"A_OPUS"</c>.</param>
/// <param name="CodecPrivate">CodecPrivate (for Opus, the <c>OpusHead</c>), or null.</param>
/// <param name="CodecDelayNs">CodecDelay in nanoseconds (for Opus, the pre-skip).</param>
/// <param name="Channels">Audio → Channels.</param>
/// <param name="HasContentEncodings">Whether the blocks are compressed or encrypted (ContentEncodings), which is not read.</param>
internal sealed record WebmTrack(ulong Number, ulong Type, string CodecId, byte[]? CodecPrivate, ulong CodecDelayNs, ulong Channels, bool HasContentEncodings);

/// <summary>One frame of a block (a laced block holds several), and its BlockGroup's DiscardPadding (ns), given to the block's last frame.</summary>
internal readonly record struct WebmFrame(ulong Track, ReadOnlyMemory<byte> Data, long DiscardPaddingNs);

/// <summary>What <see cref="WebmDemuxer"/> found.</summary>
/// <param name="Tracks">The first Tracks element's entries, or null when there is none.</param>
/// <param name="Frames">The frames of every complete block, of all tracks, in file order.</param>
/// <param name="MayBeCut">
/// Whether the file may have been cut off: an element runs past its end, or the Segment has an unknown size (a live
/// recording, which ends where the file ends).
/// </param>
internal sealed record WebmContents(IReadOnlyList<WebmTrack>? Tracks, IReadOnlyList<WebmFrame> Frames, bool MayBeCut);

/// <summary>
/// Walks a WebM (Matroska) file: the EBML header (DocType <c>webm</c> or <c>matroska</c>), then the first Segment's
/// Tracks and Clusters, whose SimpleBlocks and BlockGroups (Block, DiscardPadding) are split into frames (no lacing,
/// Xiph, EBML or fixed-size lacing). Other elements (SeekHead, Info, Cues, Tags, Void…) are skipped. Segment and
/// Cluster may have an unknown size, as live recordings write them: such an element ends where one that cannot be its
/// child starts, or at the end of the file. An element cut off by the end of the file ends the walk, keeping what is
/// complete; any other inconsistency is an <see cref="AudioDecodeException"/>.
/// </summary>
internal sealed class WebmDemuxer
{
    private const uint EbmlId = 0x1A45DFA3, DocTypeId = 0x4282, SegmentId = 0x18538067;
    private const uint SeekHeadId = 0x114D9B74, InfoId = 0x1549A966, TracksId = 0x1654AE6B, ClusterId = 0x1F43B675;
    private const uint CuesId = 0x1C53BB6B, TagsId = 0x1254C367, ChaptersId = 0x1043A770, AttachmentsId = 0x1941A469;
    private const uint TrackEntryId = 0xAE, TrackNumberId = 0xD7, TrackTypeId = 0x83, CodecIdId = 0x86;
    private const uint CodecPrivateId = 0x63A2, CodecDelayId = 0x56AA, AudioId = 0xE1, ChannelsId = 0x9F, ContentEncodingsId = 0x6D80;
    private const uint SimpleBlockId = 0xA3, BlockGroupId = 0xA0, BlockId = 0xA1, DiscardPaddingId = 0x75A2;

    /// <summary>The first bytes of every EBML file: the EBML header's ID.</summary>
    public static ReadOnlySpan<byte> Magic => [0x1A, 0x45, 0xDF, 0xA3];

    private readonly EbmlReader _reader;
    private readonly string _path;
    private readonly List<WebmFrame> _frames = [];
    private List<WebmTrack>? _tracks;
    private bool _mayBeCut;

    private WebmDemuxer(byte[] data, string path)
    {
        _reader = new EbmlReader(data);
        _path = path;
    }

    private int Length => _reader.Length;

    /// <summary>Reads the tracks and frames of <paramref name="data"/>, whose first bytes are an EBML header.</summary>
    /// <exception cref="AudioDecodeException">It is no WebM file, or its structure is corrupt.</exception>
    public static WebmContents Read(byte[] data, string path)
    {
        var demuxer = new WebmDemuxer(data, path);
        int position = demuxer.ReadEbmlHeader();
        while (position < demuxer.Length && demuxer.Header(position) is { } element)
        {
            if (element.Id == SegmentId)
            {
                demuxer.ReadSegment(element); // only the first Segment: a file with several is two recordings chained
                break;
            }
            if (element.HasUnknownSize)
                throw demuxer.Corrupt($"element 0x{element.Id:X} at byte {position} has an unknown size");
            if (demuxer.PastEnd(element))
                break;
            position = (int)element.DataEnd;
        }
        return new WebmContents(demuxer._tracks, demuxer._frames, demuxer._mayBeCut);
    }

    /// <summary>Checks the EBML header and its DocType; returns the offset just past it.</summary>
    private int ReadEbmlHeader()
    {
        var read = _reader.TryReadHeader(0, out var header);
        if (read != EbmlHeaderRead.Ok || header.Id != EbmlId)
        {
            throw NotWebm(read == EbmlHeaderRead.EndOfData ? "the file ends inside the EBML header"
                : _reader.Data.AsSpan().StartsWith(Magic) ? "invalid EBML header size" : "no EBML header");
        }
        if (header.HasUnknownSize || header.DataEnd > Length)
            throw NotWebm(header.HasUnknownSize ? "the EBML header has an unknown size" : $"the EBML header needs {header.DataEnd} bytes, the file has {Length}");
        string? docType = null;
        for (int position = header.DataStart; position < header.DataEnd;)
        {
            if (_reader.TryReadHeader(position, out var child) != EbmlHeaderRead.Ok || child.HasUnknownSize || child.DataEnd > header.DataEnd)
                throw NotWebm($"corrupt EBML header at byte {position}");
            if (child.Id == DocTypeId)
                docType = _reader.String(child);
            position = (int)child.DataEnd;
        }
        if (docType is null)
            throw NotWebm("the EBML header names no DocType");
        if (docType is not ("webm" or "matroska"))
            throw NotWebm($"EBML document type \"{(docType.Length > 40 ? docType[..40] + "…" : docType)}\"; expected webm or matroska");
        return (int)header.DataEnd;
    }

    private void ReadSegment(EbmlElement segment)
    {
        _mayBeCut |= segment.HasUnknownSize;
        long end = segment.HasUnknownSize ? Length : Math.Min(segment.DataEnd, Length);
        _mayBeCut |= PastEnd(segment);
        int position = segment.DataStart;
        while (position < end && Header(position) is { } element)
        {
            if (segment.HasUnknownSize && element.Id is EbmlId or SegmentId)
                return; // the next file of a chain
            if (element.Id == ClusterId)
            {
                position = ReadCluster(element, end);
                continue;
            }
            CheckInside(element, end);
            if (element.Id == TracksId && _tracks is null)
                _tracks = [.. Children(element).Where(e => e.Id == TrackEntryId).Select(ReadTrack)];
            if (PastEnd(element))
                return;
            position = (int)element.DataEnd;
        }
    }

    /// <summary>Reads a Cluster's blocks; returns where the next element of the Segment starts.</summary>
    private int ReadCluster(EbmlElement cluster, long end)
    {
        if (!cluster.HasUnknownSize)
        {
            CheckInside(cluster, end);
            foreach (var child in Children(cluster))
                ReadClusterChild(child);
            return (int)Math.Min(cluster.DataEnd, Length);
        }
        int position = cluster.DataStart;
        while (position < end && Header(position) is { } element)
        {
            if (EndsCluster(element.Id))
                return position;
            CheckInside(element, end);
            if (PastEnd(element))
            {
                if (element.Id == BlockGroupId)
                    ReadClusterChild(element); // its Block may be complete
                return Length;
            }
            ReadClusterChild(element);
            position = (int)element.DataEnd;
        }
        return Length;
    }

    private void ReadClusterChild(EbmlElement element)
    {
        if (element.Id == SimpleBlockId)
        {
            ReadBlock(element, 0);
        }
        else if (element.Id == BlockGroupId)
        {
            EbmlElement? block = null;
            long discardPadding = 0;
            foreach (var child in Children(element))
            {
                if (child.Id == BlockId)
                    block = child;
                else if (child.Id == DiscardPaddingId)
                    discardPadding = _reader.Int(child) ?? throw TooLong(child, "DiscardPadding");
            }
            if (block is { } complete)
                ReadBlock(complete, discardPadding);
        }
    }

    /// <summary>Splits a (Simple)Block into frames: track number, 16-bit timecode, flags, then the laced frames.</summary>
    private void ReadBlock(EbmlElement block, long discardPaddingNs)
    {
        var bytes = _reader.Bytes(block);
        if (EbmlReader.ReadVint(bytes, 8, out ulong track, out int at) != EbmlHeaderRead.Ok || bytes.Length < at + 3)
            throw Corrupt($"the block at byte {block.Start} has no valid header");
        int lacing = (bytes[at + 2] >> 1) & 3;
        at += 3;
        if (lacing == 0)
        {
            Add(track, block.DataStart + at, bytes.Length - at, discardPaddingNs);
            return;
        }
        if (at >= bytes.Length)
            throw BadLacing(block);
        int count = bytes[at++] + 1;
        var sizes = new long[count];
        long laced = 0;
        for (int i = 0; i < count - 1; i++)
        {
            if (lacing == 2)
            {
                sizes[i] = (bytes.Length - at) / count; // fixed-size lacing: the sizes are implied
            }
            else if (lacing == 1)
            {
                byte b; // Xiph lacing: 255, 255, …, then a byte under 255
                do
                {
                    if (at >= bytes.Length)
                        throw BadLacing(block);
                    b = bytes[at++];
                    sizes[i] += b;
                }
                while (b == 255);
            }
            else
            {
                // EBML lacing: the first size as an unsigned vint, the others as signed differences from the one before
                if (EbmlReader.ReadVint(bytes[at..], 8, out ulong value, out int length) != EbmlHeaderRead.Ok)
                    throw BadLacing(block);
                at += length;
                sizes[i] = i == 0 ? (long)value : sizes[i - 1] + (long)value - ((1L << (7 * length - 1)) - 1);
            }
            if (sizes[i] < 0)
                throw BadLacing(block);
            laced += sizes[i];
        }
        sizes[count - 1] = bytes.Length - at - laced;
        if (sizes[count - 1] < 0 || (lacing == 2 && (bytes.Length - at) % count != 0))
            throw BadLacing(block);
        int offset = block.DataStart + at;
        for (int i = 0; i < count; i++)
        {
            Add(track, offset, (int)sizes[i], i == count - 1 ? discardPaddingNs : 0);
            offset += (int)sizes[i];
        }
    }

    private void Add(ulong track, int offset, int length, long discardPaddingNs) =>
        _frames.Add(new WebmFrame(track, new ReadOnlyMemory<byte>(_reader.Data, offset, length), discardPaddingNs));

    private WebmTrack ReadTrack(EbmlElement entry)
    {
        ulong number = 0, type = 0, codecDelay = 0, channels = 0;
        string codec = "";
        byte[]? codecPrivate = null;
        bool encoded = false;
        foreach (var child in Children(entry))
        {
            switch (child.Id)
            {
                case TrackNumberId: number = UInt(child, "TrackNumber"); break;
                case TrackTypeId: type = UInt(child, "TrackType"); break;
                case CodecIdId: codec = _reader.String(child); break;
                case CodecPrivateId: codecPrivate = _reader.Bytes(child).ToArray(); break;
                case CodecDelayId: codecDelay = UInt(child, "CodecDelay"); break;
                case ContentEncodingsId: encoded = true; break;
                case AudioId:
                    // SamplingFrequency is not needed: Opus always decodes at 48 kHz.
                    foreach (var audio in Children(child).Where(e => e.Id == ChannelsId))
                        channels = UInt(audio, "Channels");
                    break;
            }
        }
        return new WebmTrack(number, type, codec, codecPrivate, codecDelay, channels, encoded);
    }

    /// <summary>
    /// The children of a master element of known size. A child cut off by the end of the file ends the list (and the
    /// file is marked as cut); it is listed itself only when it is a master whose complete children are still of use.
    /// </summary>
    private IEnumerable<EbmlElement> Children(EbmlElement parent)
    {
        long end = Math.Min(parent.DataEnd, Length);
        _mayBeCut |= PastEnd(parent);
        int position = parent.DataStart;
        while (position < end && Header(position) is { } child)
        {
            CheckInside(child, parent.DataEnd);
            if (PastEnd(child))
            {
                if (child.Id is TrackEntryId or AudioId or BlockGroupId)
                    yield return child;
                yield break;
            }
            yield return child;
            position = (int)child.DataEnd;
        }
    }

    /// <summary>The element header at <paramref name="position"/>, or null when the file ends inside it.</summary>
    private EbmlElement? Header(int position)
    {
        switch (_reader.TryReadHeader(position, out var element))
        {
            case EbmlHeaderRead.Ok:
                return element;
            case EbmlHeaderRead.EndOfData:
                _mayBeCut = true;
                return null;
            default:
                throw Corrupt($"invalid element header at byte {position}");
        }
    }

    /// <summary>Whether the element's data runs past the end of the file (it is then marked as cut).</summary>
    private bool PastEnd(EbmlElement element)
    {
        bool past = !element.HasUnknownSize && element.DataEnd > Length;
        _mayBeCut |= past;
        return past;
    }

    /// <summary>Refuses an unknown size (only Segment and Cluster may have one) and a child running past its parent's end (the end of the file is the cut-off case instead).</summary>
    private void CheckInside(EbmlElement element, long parentEnd)
    {
        if (element.HasUnknownSize)
            throw Corrupt($"element 0x{element.Id:X} at byte {element.Start} has an unknown size");
        if (element.DataEnd > parentEnd && parentEnd < Length)
            throw Corrupt($"element 0x{element.Id:X} at byte {element.Start} runs past the end of its parent");
    }

    /// <summary>Whether an element with this ID ends an unknown-size Cluster: a Segment child, or a top-level element.</summary>
    private static bool EndsCluster(uint id) => id is ClusterId or CuesId or TagsId or SeekHeadId or InfoId or TracksId
        or ChaptersId or AttachmentsId or EbmlId or SegmentId;

    private ulong UInt(EbmlElement element, string name) => _reader.UInt(element) ?? throw TooLong(element, name);

    private AudioDecodeException TooLong(EbmlElement element, string name) =>
        Corrupt($"{name} at byte {element.Start} is {element.Size} bytes long");

    private AudioDecodeException BadLacing(EbmlElement block) => Corrupt($"the block at byte {block.Start} has inconsistent lacing");

    private AudioDecodeException Corrupt(string problem) => new(_path, "corrupt WebM: " + problem);

    private AudioDecodeException NotWebm(string problem) => new(_path, $"not a WebM file ({problem})");
}
