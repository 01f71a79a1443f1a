namespace Wav2Vec2Sharp.Audio;

/// <summary>
/// Walks the frames of an MPEG audio stream (MPEG-1, 2 and 2.5, layers I-III) by their headers to tell a complete file
/// from a cut-off one: NLayer decodes whatever frames it finds, so a file cut mid-frame would otherwise transcribe as if
/// it were whole.
/// </summary>
internal static class Mp3Frames
{
    // kbit/s by bitrate index 1-14: MPEG-1 layers I, II, III; MPEG-2/2.5 layer I; MPEG-2/2.5 layers II and III.
    private static readonly int[][] Bitrates =
    [
        [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
        [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
        [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
        [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
        [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ];

    private static readonly int[] SampleRates = [44100, 48000, 32000];

    /// <summary>
    /// Throws when the stream's last frame is cut off: starting at the first frame header (after an ID3v2 tag), each
    /// frame's length comes from its header and the next frame must follow it; the walk ends quietly at the end of the
    /// data or at anything that is not a frame (a trailing tag), and fails when a frame, or its 4-byte header, needs more
    /// bytes than remain. A file cut exactly between two frames cannot be told from a shorter file.
    /// </summary>
    /// <param name="data">The whole file.</param>
    /// <param name="firstFrame">Where its first frame starts (<see cref="FirstFrame"/>); negative when it has none.</param>
    /// <param name="path">Names the file in the error.</param>
    /// <exception cref="AudioDecodeException">The last frame is incomplete.</exception>
    public static void CheckComplete(byte[] data, int firstFrame, string path)
    {
        if (firstFrame < 0)
            return; // no frame header at all: the decoder reports what it finds
        int offset = Walk(data, firstFrame).End;
        if (offset + 4 <= data.Length && FrameLength(data.AsSpan(offset, 4)) is int length and > 0)
            throw new AudioDecodeException(path, $"truncated MP3 stream (the frame at byte {offset} needs {length} bytes, {data.Length - offset} remain)");
        if (offset < data.Length && data.Length - offset < 4 && data[offset] == 0xFF)
            throw new AudioDecodeException(path, $"truncated MP3 stream (a frame header at byte {offset} has {data.Length - offset} of its 4 bytes)");
    }

    /// <summary>
    /// Samples per channel that the frames from byte <paramref name="first"/> on decode to, from their headers; null unless
    /// the frames run back to back to the end of the data or to a trailing tag (ID3v1, APE, Lyrics3), so that a stream
    /// the decoder has to resynchronise in, or free-format frames, are never counted short.
    /// </summary>
    internal static long? SamplesPerChannel(byte[] data, int first)
    {
        var (end, samples) = Walk(data, first);
        var rest = data.AsSpan(end);
        bool ended = rest.IsEmpty || rest.StartsWith("TAG"u8) || rest.StartsWith("APETAGEX"u8) || rest.StartsWith("LYRICSBEGIN"u8);
        return end == first || !ended ? null : samples;
    }

    // Follows complete frames back to back from `start` by their headers: where the walk stopped (the end of the data,
    // something that is not a frame header, or a frame that needs more bytes than remain) and the samples per channel
    // of the frames it passed.
    private static (int End, long Samples) Walk(byte[] data, int start)
    {
        long samples = 0;
        int offset = start;
        while (offset + 4 <= data.Length && FrameLength(data.AsSpan(offset, 4)) is int length and > 0 && offset + length <= data.Length)
        {
            int version = (data[offset + 1] >> 3) & 3, layer = (data[offset + 1] >> 1) & 3;
            samples += layer switch { 3 => 384, 1 when version != 3 => 576, _ => 1152 };
            offset += length;
        }
        return (offset, samples);
    }

    /// <summary>
    /// The Xing/Info frame that LAME (and FFmpeg) put first: a valid MPEG frame that holds no audio, only the stream's
    /// frame count and, in its LAME tag, the samples the encoder added before and after the audio. Null when the first
    /// frame is an audio frame; <paramref name="offset"/> is where the first frame starts (<see cref="FirstFrame"/>).
    /// </summary>
    internal static Mp3InfoFrame? FindInfoFrame(byte[] data, int offset)
    {
        if (offset < 0 || FrameLength(data.AsSpan(offset, 4)) is not int length || offset + length > data.Length)
            return null;
        var header = data.AsSpan(offset, 4);
        int version = (header[1] >> 3) & 3;
        int layer = (header[1] >> 1) & 3;
        if (layer != 1)
            return null; // only layer III streams carry the tag
        bool mono = (header[3] >> 6) == 3;
        int sideInfo = version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        var frame = data.AsSpan(offset, length);
        int at = 4 + sideInfo; // where the side information would end; LAME ignores a CRC here, as do its readers
        if (at + 8 > frame.Length || !(frame.Slice(at, 4).SequenceEqual("Xing"u8) || frame.Slice(at, 4).SequenceEqual("Info"u8)))
            return null;
        int flags = frame[at + 7];
        int lame = at + 8 + ((flags & 1) != 0 ? 4 : 0) + ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0) + ((flags & 8) != 0 ? 4 : 0);
        if (lame + 24 > frame.Length)
            return new Mp3InfoFrame(offset, length, null, null);
        var encoder = frame.Slice(lame, 4);
        if (!(encoder.SequenceEqual("LAME"u8) || encoder.SequenceEqual("Lavf"u8) || encoder.SequenceEqual("Lavc"u8)))
            return new Mp3InfoFrame(offset, length, null, null);
        int delays = frame[lame + 21] << 16 | frame[lame + 22] << 8 | frame[lame + 23]; // 12 bits each: delay, padding
        int delay = delays >> 12, padding = delays & 0xFFF;
        if (delay > 3000 || padding > 3000) // what LAME's own reader takes for a tag it does not know
            return new Mp3InfoFrame(offset, length, null, null);
        return new Mp3InfoFrame(offset, length, delay, padding);
    }

    // The first frame: right after an ID3v2 tag (or at byte 0) when a header is there, else the first header that the
    // next frame's header follows. A stray sync pattern inside free-format audio (no length in its headers) is thus not
    // taken for a frame that runs past the end.
    internal static int FirstFrame(byte[] data)
    {
        int start = 0;
        if (data.Length >= 10 && data[0] == 'I' && data[1] == 'D' && data[2] == '3')
            start = 10 + (data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9]) + ((data[5] & 0x10) != 0 ? 10 : 0);
        if (start + 4 <= data.Length && FrameLength(data.AsSpan(start, 4)) is > 0)
            return start;
        for (int offset = start; offset + 4 <= data.Length; offset++)
        {
            if (FrameLength(data.AsSpan(offset, 4)) is not int length || length <= 0)
                continue;
            int next = offset + length;
            if (next == data.Length || (next + 4 <= data.Length && FrameLength(data.AsSpan(next, 4)) is > 0))
                return offset;
        }
        return -1;
    }

    /// <summary>The frame's length in bytes from its 4-byte header; null when the bytes are not a frame header or the
    /// bitrate is free-format (no length in the header).</summary>
    internal static int? FrameLength(ReadOnlySpan<byte> header)
    {
        if (header[0] != 0xFF || (header[1] & 0xE0) != 0xE0)
            return null;
        int version = (header[1] >> 3) & 3; // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
        int layer = (header[1] >> 1) & 3;   // 1: III, 2: II, 3: I
        int bitrateIndex = header[2] >> 4;
        int rateIndex = (header[2] >> 2) & 3;
        int padding = (header[2] >> 1) & 1;
        if (version == 1 || layer == 0 || bitrateIndex is 0 or 15 || rateIndex == 3)
            return null;
        bool mpeg1 = version == 3;
        int table = mpeg1 ? 3 - layer : layer == 3 ? 3 : 4;
        int bitrate = Bitrates[table][bitrateIndex - 1] * 1000;
        int sampleRate = SampleRates[rateIndex] >> (mpeg1 ? 0 : version == 2 ? 1 : 2);
        return layer switch
        {
            3 => (12 * bitrate / sampleRate + padding) * 4,
            1 when !mpeg1 => 72 * bitrate / sampleRate + padding,
            _ => 144 * bitrate / sampleRate + padding,
        };
    }
}

/// <summary>The Xing/Info frame's place in the file, and the encoder's delay and end padding in samples when its LAME tag gives them.</summary>
internal readonly record struct Mp3InfoFrame(int Offset, int Length, int? EncoderDelay, int? Padding);
