namespace Wav2Vec2Sharp.Audio.Flac;

/// <summary>
/// Decodes a native FLAC stream: the <c>fLaC</c> marker, STREAMINFO (other metadata blocks are skipped), then frames
/// with CRC-8 checked headers, subframes, stereo decorrelation and CRC-16 checked footers. Bit depths 4 to 32.
/// </summary>
/// <remarks>
/// Our own because NuGet offers no FLAC decoder; checked bit-exactly against files made by the reference <c>flac</c> tool.
/// </remarks>
internal static class FlacDecoder
{
    private readonly record struct StreamInfo(int MinBlockSize, int MaxBlockSize, int SampleRate, int Channels, int BitsPerSample, long TotalSamples);

    private readonly record struct FrameHeader(int BlockSize, int SampleRate, int Channels, int ChannelAssignment, int BitsPerSample, long Number, bool VariableBlockSize);

    /// <summary>Decodes <paramref name="data"/>, whose <c>fLaC</c> marker is at <paramref name="start"/>, into mono samples.</summary>
    public static DecodedAudio Decode(byte[] data, int start, string path)
    {
        var reader = new FlacBitReader(data, start);
        StreamInfo info;
        try
        {
            info = ReadMetadata(reader, data.Length);
        }
        catch (FlacEndOfDataException)
        {
            throw new AudioDecodeException(path, "truncated FLAC metadata");
        }
        catch (FlacFormatException e)
        {
            throw new AudioDecodeException(path, e.Message);
        }

        if (info.TotalSamples > Array.MaxLength)
            throw new AudioDecodeException(path, $"FLAC stream too long ({info.TotalSamples} samples)");
        var mono = new List<float>(info.TotalSamples > 0 ? (int)info.TotalSamples : 1 << 16);
        var channelBuffers = new long[info.Channels][];
        long decoded = 0;
        int frameIndex = 0;

        while (info.TotalSamples == 0 || decoded < info.TotalSamples)
        {
            if (reader.BytesLeft == 0)
                break;
            int frameStart = reader.BytePosition;
            try
            {
                if (reader.BytesLeft < 2)
                    throw new FlacEndOfDataException();
                if (reader.ReadBits(15) != 0x7FFC)
                {
                    if (info.TotalSamples == 0 && decoded > 0 && IsTrailingTag(data, frameStart))
                        break;
                    throw new FlacFormatException($"corrupt data (no frame sync code at byte {frameStart}, frame {frameIndex})");
                }
                reader.Seek(frameStart);
                DecodeFrame(reader, data, info, ref channelBuffers, mono, frameIndex);
            }
            catch (FlacEndOfDataException)
            {
                throw new AudioDecodeException(path, $"truncated FLAC data (frame {frameIndex} at byte {frameStart} is cut off" +
                    (info.TotalSamples > 0 ? $", {decoded} of {info.TotalSamples} samples decoded)" : ")"));
            }
            catch (FlacFormatException e)
            {
                throw new AudioDecodeException(path, e.Message);
            }
            decoded = mono.Count;
            frameIndex++;
        }

        if (info.TotalSamples > 0 && decoded < info.TotalSamples)
            throw new AudioDecodeException(path, $"truncated FLAC data (expected {info.TotalSamples} samples, found {decoded})");
        if (info.TotalSamples > 0 && decoded > info.TotalSamples)
            mono.RemoveRange((int)info.TotalSamples, (int)(decoded - info.TotalSamples));
        return new DecodedAudio(mono.ToArray(), info.SampleRate, info.Channels);
    }

    // An ID3v1 tag ("TAG") or APE tag may follow the last frame of a stream whose length is not in STREAMINFO.
    private static bool IsTrailingTag(byte[] data, int pos) =>
        data.AsSpan(pos).StartsWith("TAG"u8) || data.AsSpan(pos).StartsWith("APETAGEX"u8) || data.AsSpan(pos).StartsWith("ID3"u8);

    private static StreamInfo ReadMetadata(FlacBitReader reader, int length)
    {
        if (reader.ReadBits(32) != 0x664C6143) // "fLaC"
            throw new FlacFormatException("not a FLAC stream (missing fLaC marker)");
        StreamInfo? info = null;
        bool last = false;
        int blockIndex = 0;
        while (!last)
        {
            last = reader.ReadBit();
            int type = (int)reader.ReadBits(7);
            int size = (int)reader.ReadBits(24);
            int bodyStart = reader.BytePosition;
            if (reader.BytesLeft < size)
                throw new FlacEndOfDataException();
            if (blockIndex == 0 && type != 0)
                throw new FlacFormatException($"corrupt FLAC metadata (first block is type {type}, not STREAMINFO)");
            if (type == 0)
            {
                if (size < 34)
                    throw new FlacFormatException($"corrupt STREAMINFO block ({size} bytes, expected 34)");
                int minBlock = (int)reader.ReadBits(16);
                int maxBlock = (int)reader.ReadBits(16);
                reader.ReadBits(24); // minimum frame size
                reader.ReadBits(24); // maximum frame size
                int rate = (int)reader.ReadBits(20);
                int channels = (int)reader.ReadBits(3) + 1;
                int bps = (int)reader.ReadBits(5) + 1;
                long total = (long)reader.ReadBitsLong(36);
                if (rate == 0)
                    throw new FlacFormatException("corrupt STREAMINFO block (sample rate 0)");
                if (bps < 4)
                    throw new FlacFormatException($"corrupt STREAMINFO block ({bps} bits per sample)");
                info = new StreamInfo(minBlock, maxBlock, rate, channels, bps, total);
            }
            else if (type == 127)
            {
                throw new FlacFormatException("corrupt FLAC metadata (invalid block type 127)");
            }
            reader.Seek(bodyStart + size);
            blockIndex++;
        }
        return info ?? throw new FlacFormatException("corrupt FLAC metadata (no STREAMINFO block)");
    }

    private static void DecodeFrame(FlacBitReader reader, byte[] data, StreamInfo info, ref long[][] buffers, List<float> mono, int frameIndex)
    {
        int frameStart = reader.BytePosition;
        var h = ReadFrameHeader(reader, data, info, frameStart, frameIndex);

        if (buffers.Length != h.Channels)
            buffers = new long[h.Channels][];
        for (int c = 0; c < h.Channels; c++)
        {
            if (buffers[c] is null || buffers[c].Length < h.BlockSize)
                buffers[c] = new long[Math.Max(h.BlockSize, info.MaxBlockSize)];
        }

        for (int c = 0; c < h.Channels; c++)
        {
            bool side = (h.ChannelAssignment == 8 && c == 1) || (h.ChannelAssignment == 9 && c == 0) || (h.ChannelAssignment == 10 && c == 1);
            FlacSubframeDecoder.Decode(reader, h.BitsPerSample + (side ? 1 : 0), buffers[c].AsSpan(0, h.BlockSize));
        }

        reader.AlignToByte();
        int crcPos = reader.BytePosition;
        ushort expected = (ushort)reader.ReadBits(16);
        ushort actual = FlacCrc.Crc16(data.AsSpan(frameStart, crcPos - frameStart));
        if (expected != actual)
            throw new FlacFormatException($"corrupt data (CRC-16 mismatch in frame {frameIndex} at byte {frameStart})");

        Decorrelate(h, buffers);

        // Same arithmetic as the WAV reader: exact scaling by a power of two, then the average over channels.
        double fullScale = 1L << (h.BitsPerSample - 1);
        for (int i = 0; i < h.BlockSize; i++)
        {
            long sum = 0;
            for (int c = 0; c < h.Channels; c++)
                sum += buffers[c][i];
            mono.Add((float)(sum / fullScale / h.Channels));
        }
    }

    private static void Decorrelate(FrameHeader h, long[][] b)
    {
        int n = h.BlockSize;
        switch (h.ChannelAssignment)
        {
            case 8: // left/side
                for (int i = 0; i < n; i++)
                    b[1][i] = b[0][i] - b[1][i];
                break;
            case 9: // side/right
                for (int i = 0; i < n; i++)
                    b[0][i] += b[1][i];
                break;
            case 10: // mid/side
                for (int i = 0; i < n; i++)
                {
                    long side = b[1][i];
                    long mid = (b[0][i] << 1) | (side & 1);
                    b[0][i] = (mid + side) >> 1;
                    b[1][i] = (mid - side) >> 1;
                }
                break;
        }
    }

    private static FrameHeader ReadFrameHeader(FlacBitReader reader, byte[] data, StreamInfo info, int frameStart, int frameIndex)
    {
        string where = $"frame {frameIndex} at byte {frameStart}";
        reader.ReadBits(15); // sync code, checked by the caller
        bool variable = reader.ReadBit();
        int blockCode = (int)reader.ReadBits(4);
        int rateCode = (int)reader.ReadBits(4);
        int assignment = (int)reader.ReadBits(4);
        int sizeCode = (int)reader.ReadBits(3);
        if (reader.ReadBit())
            throw new FlacFormatException($"corrupt frame header ({where}: reserved bit set)");

        long number = ReadUtf8Number(reader, where);

        int blockSize = blockCode switch
        {
            0 => throw new FlacFormatException($"corrupt frame header ({where}: reserved block size code)"),
            1 => 192,
            <= 5 => 576 << (blockCode - 2),
            6 => (int)reader.ReadBits(8) + 1,
            7 => (int)reader.ReadBits(16) + 1,
            _ => 256 << (blockCode - 8),
        };
        int rate = rateCode switch
        {
            0 => info.SampleRate,
            1 => 88200,
            2 => 176400,
            3 => 192000,
            4 => 8000,
            5 => 16000,
            6 => 22050,
            7 => 24000,
            8 => 32000,
            9 => 44100,
            10 => 48000,
            11 => 96000,
            12 => (int)reader.ReadBits(8) * 1000,
            13 => (int)reader.ReadBits(16),
            14 => (int)reader.ReadBits(16) * 10,
            _ => throw new FlacFormatException($"corrupt frame header ({where}: invalid sample rate code)"),
        };
        int bps = sizeCode switch
        {
            0 => info.BitsPerSample,
            1 => 8,
            2 => 12,
            4 => 16,
            5 => 20,
            6 => 24,
            7 => 32,
            _ => throw new FlacFormatException($"corrupt frame header ({where}: reserved sample size code)"),
        };
        int channels = assignment switch
        {
            <= 7 => assignment + 1,
            <= 10 => 2,
            _ => throw new FlacFormatException($"corrupt frame header ({where}: reserved channel assignment {assignment})"),
        };

        int headerEnd = reader.BytePosition;
        byte crc = (byte)reader.ReadBits(8);
        if (FlacCrc.Crc8(data.AsSpan(frameStart, headerEnd - frameStart)) != crc)
            throw new FlacFormatException($"corrupt data (CRC-8 mismatch in frame header, {where})");

        if (channels != info.Channels)
            throw new FlacFormatException($"corrupt frame header ({where}: {channels} channels, STREAMINFO says {info.Channels})");
        if (rate != info.SampleRate)
            throw new FlacFormatException($"unsupported FLAC stream (sample rate changes from {info.SampleRate} to {rate} Hz in {where})");
        if (bps != info.BitsPerSample)
            throw new FlacFormatException($"unsupported FLAC stream (bit depth changes from {info.BitsPerSample} to {bps} in {where})");
        return new FrameHeader(blockSize, rate, channels, assignment, bps, number, variable);
    }

    /// <summary>Reads the frame or sample number, coded like UTF-8 extended to 7 bytes (36 bits).</summary>
    private static long ReadUtf8Number(FlacBitReader reader, string where)
    {
        uint first = reader.ReadBits(8);
        int extra;
        long value;
        if ((first & 0x80) == 0) { return first; }
        else if ((first & 0xE0) == 0xC0) { extra = 1; value = first & 0x1F; }
        else if ((first & 0xF0) == 0xE0) { extra = 2; value = first & 0x0F; }
        else if ((first & 0xF8) == 0xF0) { extra = 3; value = first & 0x07; }
        else if ((first & 0xFC) == 0xF8) { extra = 4; value = first & 0x03; }
        else if ((first & 0xFE) == 0xFC) { extra = 5; value = first & 0x01; }
        else if (first == 0xFE) { extra = 6; value = 0; }
        else throw new FlacFormatException($"corrupt frame header ({where}: invalid coded frame number)");
        for (int i = 0; i < extra; i++)
        {
            uint b = reader.ReadBits(8);
            if ((b & 0xC0) != 0x80)
                throw new FlacFormatException($"corrupt frame header ({where}: invalid coded frame number)");
            value = (value << 6) | (b & 0x3F);
        }
        return value;
    }
}
