using System.Buffers.Binary;

namespace Wav2Vec2Sharp.Audio.Webm;

/// <summary>
/// WebM (Matroska) with an Opus track, as browsers' MediaRecorder makes it: the first audio track must be
/// <c>A_OPUS</c>, its CodecPrivate (<c>OpusHead</c>) gives the channels and the pre-skip, and its frames are decoded like
/// Ogg Opus (<see cref="OpusAudio"/>): 48 kHz, pre-skip dropped, DiscardPadding honoured, channels averaged to mono.
/// A file cut off in the middle (a recording that was stopped abruptly) yields the audio of its complete blocks.
/// </summary>
/// <remarks>
/// The demuxer is ours because no maintained managed WebM demuxer on NuGet fits: NEbml reads generic EBML elements but
/// knows nothing of Matroska tracks, blocks, lacing or the unknown-size clusters of live recordings, and the FFmpeg
/// wrappers need native libraries. The subset of EBML that audio needs is small (<see cref="EbmlReader"/>,
/// <see cref="WebmDemuxer"/>).
/// </remarks>
internal static class WebmOpusDecoder
{
    private const string StreamName = "WebM Opus";
    private const ulong AudioTrackType = 2;

    public static DecodedAudio Decode(byte[] data, string path)
    {
        var webm = WebmDemuxer.Read(data, path);
        if (webm.Tracks is null || (webm.Tracks.Count == 0 && webm.MayBeCut))
        {
            throw new AudioDecodeException(path, webm.MayBeCut
                ? $"truncated WebM: no audio (the file ends at byte {data.Length}, before the track list)"
                : "corrupt WebM: no Tracks element");
        }
        var track = webm.Tracks.FirstOrDefault(t => t.Type == AudioTrackType || (t.Type == 0 && t.CodecId.StartsWith("A_", StringComparison.Ordinal)));
        if (track is null)
        {
            throw new AudioDecodeException(path, webm.Tracks.Count == 0 ? "the WebM file has no tracks"
                : $"the WebM file has no audio track (its tracks: {string.Join(", ", webm.Tracks.Select(t => t.CodecId))})");
        }
        if (track.CodecId != "A_OPUS")
            throw new AudioDecodeException(path, track.CodecId.Length == 0 ? "the WebM track names no codec" : $"the WebM track is {track.CodecId}, not Opus");
        if (track.HasContentEncodings)
            throw new AudioDecodeException(path, "unsupported WebM track (its blocks are compressed or encrypted: ContentEncodings)");
        var frames = webm.Frames.Where(f => f.Track == track.Number).ToList();
        if (frames.Count == 0)
        {
            throw new AudioDecodeException(path, webm.MayBeCut
                ? $"truncated WebM: no audio (the file ends at byte {data.Length}, before the first complete audio block)"
                : $"the {StreamName} stream holds no audio");
        }
        var head = track.CodecPrivate ?? SyntheticHead(track);
        if (!OpusAudio.IsOpusHead(head))
            throw new AudioDecodeException(path, "corrupt WebM Opus track (its CodecPrivate is not OpusHead)");
        var (channels, preSkip) = OpusAudio.ReadHead(head, path, StreamName);
        var packets = frames.Select(f => new OpusPacket(f.Data, Samples(f.DiscardPaddingNs)));
        return OpusAudio.Decode(packets, channels, preSkip, end: -1, path, StreamName);
    }

    /// <summary>An <c>OpusHead</c> made from the track's Channels and CodecDelay, for a muxer that wrote no CodecPrivate.</summary>
    private static byte[] SyntheticHead(WebmTrack track)
    {
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1; // version
        head[9] = (byte)Math.Min(track.Channels == 0 ? 1 : track.Channels, 255);
        int preSkip = Samples((long)Math.Min(track.CodecDelayNs, long.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)Math.Min(preSkip, ushort.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), OpusAudio.SampleRate);
        return head;
    }

    /// <summary>Nanoseconds as samples at 48 kHz, rounded; 0 for a negative duration (padding at a block's start is not supported).</summary>
    private static int Samples(long nanoseconds) =>
        nanoseconds <= 0 ? 0 : (int)Math.Min(Math.Round(nanoseconds * (double)OpusAudio.SampleRate / 1e9), int.MaxValue);
}
