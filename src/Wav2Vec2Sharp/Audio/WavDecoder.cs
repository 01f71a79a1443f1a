using System.Buffers.Binary;

namespace Wav2Vec2Sharp.Audio;

/// <summary>
/// Decodes RIFF/WAVE and RF64 files: PCM 8 (unsigned), 16, 24 and 32-bit integer, IEEE float 32 and 64-bit,
/// and WAVE_FORMAT_EXTENSIBLE with a PCM or float sub-format, any channel count (averaged to mono).
/// </summary>
internal static class WavDecoder
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    // KSDATAFORMAT_SUBTYPE_* GUIDs are {0000XXXX-0000-0010-8000-00AA00389B71}; bytes 2..15 as stored in the file.
    private static ReadOnlySpan<byte> SubFormatGuidTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Decodes <paramref name="data"/> (the whole file) into mono samples.</summary>
    public static DecodedAudio Decode(byte[] data, string path)
    {
        using var stream = new MemoryStream(data, writable: false);
        var header = WavHeader.Read(stream, path);
        var format = header.Format;
        long frames = header.DataLength / format.BlockAlign;
        if (frames > Array.MaxLength)
            throw new AudioDecodeException(path, $"data chunk too large ({frames} sample frames)");
        var samples = new float[frames];
        Convert(data.AsSpan((int)header.DataOffset, (int)(frames * format.BlockAlign)), format, samples);
        return new DecodedAudio(samples, format.SampleRate, format.Channels);
    }

    internal readonly record struct WavFormat(int Channels, int SampleRate, int BlockAlign, int BytesPerSample, bool IsFloat);

    internal static WavFormat ParseFormat(ReadOnlySpan<byte> fmt, string path)
    {
        if (fmt.Length < 16)
            throw new AudioDecodeException(path, $"truncated fmt chunk (expected 16 bytes, found {fmt.Length})");
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);

        bool isFloat;
        if (tag == FormatExtensible)
        {
            if (fmt.Length < 40)
                throw new AudioDecodeException(path, $"truncated WAVE_FORMAT_EXTENSIBLE fmt chunk (expected 40 bytes, found {fmt.Length})");
            ushort sub = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
            if (!fmt.Slice(26, 14).SequenceEqual(SubFormatGuidTail) || (sub != FormatPcm && sub != FormatFloat))
                throw new AudioDecodeException(path, $"unsupported WAVE_FORMAT_EXTENSIBLE sub-format {new Guid(fmt.Slice(24, 16))}");
            isFloat = sub == FormatFloat;
        }
        else if (tag is FormatPcm or FormatFloat)
        {
            isFloat = tag == FormatFloat;
        }
        else
        {
            throw new AudioDecodeException(path, $"unsupported WAV encoding (format tag 0x{tag:X4}; only PCM and IEEE float are supported)");
        }

        if (channels == 0)
            throw new AudioDecodeException(path, "corrupt fmt chunk (0 channels)");
        if (sampleRate == 0 || sampleRate > int.MaxValue)
            throw new AudioDecodeException(path, $"corrupt fmt chunk (sample rate {sampleRate})");

        int bytesPerSample = (bits + 7) / 8;
        bool supported = isFloat ? bits is 32 or 64 : bits is >= 1 and <= 32;
        if (!supported)
            throw new AudioDecodeException(path, $"unsupported WAV sample format ({bits}-bit {(isFloat ? "float" : "PCM")})");
        if (blockAlign != channels * bytesPerSample)
            throw new AudioDecodeException(path,
                $"corrupt fmt chunk (block align {blockAlign} does not fit {channels} channels of {bits}-bit samples)");
        return new WavFormat(channels, (int)sampleRate, blockAlign, bytesPerSample, isFloat);
    }

    internal static void Convert(ReadOnlySpan<byte> pcm, WavFormat f, Span<float> mono)
    {
        int channels = f.Channels;
        int width = f.BytesPerSample;
        for (int i = 0, p = 0; i < mono.Length; i++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++, p += width)
                sum += Sample(pcm.Slice(p, width), width, f.IsFloat);
            mono[i] = (float)(sum / channels);
        }
    }

    private static double Sample(ReadOnlySpan<byte> b, int width, bool isFloat)
    {
        if (isFloat)
        {
            return width == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(b)
                : BinaryPrimitives.ReadDoubleLittleEndian(b);
        }
        return width switch
        {
            1 => (b[0] - 128) / 128.0,
            2 => BinaryPrimitives.ReadInt16LittleEndian(b) / 32768.0,
            3 => ((b[0] | (b[1] << 8) | (b[2] << 16)) << 8 >> 8) / 8388608.0,
            _ => BinaryPrimitives.ReadInt32LittleEndian(b) / 2147483648.0,
        };
    }
}
