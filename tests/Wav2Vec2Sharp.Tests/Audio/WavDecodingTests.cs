using System.Buffers.Binary;
using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Tests.Audio;

public sealed class WavDecodingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private AudioClip ReadWav(WavBuilder wav, string name = "clip.wav") => AudioFile.Read(_dir.Write(name, wav.ToBytes()));

    /// <summary>Little-endian two's-complement bytes of <paramref name="values"/>, <paramref name="width"/> bytes each.</summary>
    private static byte[] IntBytes(long[] values, int width)
    {
        var b = new byte[values.Length * width];
        for (int i = 0; i < values.Length; i++)
            for (int k = 0; k < width; k++)
                b[i * width + k] = (byte)(values[i] >> (8 * k));
        return b;
    }

    /// <summary>The expected mono mix: each sample divided by 2^(bits-1), averaged over channels, in double.</summary>
    private static float[] ExpectedMix(long[] interleaved, int channels, int bits)
    {
        var mono = new float[interleaved.Length / channels];
        for (int i = 0; i < mono.Length; i++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++)
                sum += interleaved[i * channels + c] / Math.Pow(2, bits - 1);
            mono[i] = (float)(sum / channels);
        }
        return mono;
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(16, 2)]
    [InlineData(24, 1)]
    [InlineData(24, 2)]
    [InlineData(32, 1)]
    [InlineData(32, 5)]
    public void Read_SignedPcm_MatchesSamplesOverFullScaleExactly(int bits, int channels)
    {
        long max = (1L << (bits - 1)) - 1;
        var values = Signals.Integers(1000 * channels, -max - 1, max, seed: bits * 10 + channels);
        var clip = ReadWav(new WavBuilder { Channels = channels, BitsPerSample = bits, SampleRate = 22050, Data = IntBytes(values, bits / 8) });

        Assert.Equal(ExpectedMix(values, channels, bits), clip.Samples);
        Assert.Equal(22050, clip.SampleRate);
        Assert.Equal(channels, clip.Channels);
        Assert.Equal("wav", clip.Format);
    }

    [Fact]
    public void Read_Pcm16Extremes_MapToMinusOneAndJustBelowOne()
    {
        var clip = ReadWav(new WavBuilder { Data = IntBytes([-32768, 32767, 0, 16384], 2) });
        Assert.Equal([-1f, 32767f / 32768f, 0f, 0.5f], clip.Samples);
    }

    [Fact]
    public void Read_UnsignedPcm8_IsCentredOn128()
    {
        byte[] data = [0, 128, 255, 64, 192];
        var clip = ReadWav(new WavBuilder { BitsPerSample = 8, SampleRate = 8000, Data = data });
        Assert.Equal([-1f, 0f, 127f / 128f, -0.5f, 0.5f], clip.Samples);
        Assert.Equal(8000, clip.SampleRate);
    }

    [Fact]
    public void Read_UnsignedPcm8Stereo_AveragesChannels()
    {
        byte[] data = [0, 255, 128, 64, 192, 192];
        var clip = ReadWav(new WavBuilder { BitsPerSample = 8, Channels = 2, Data = data });
        Assert.Equal([(float)((-1.0 + 127 / 128.0) / 2), -0.25f, 0.5f], clip.Samples);
    }

    [Fact]
    public void Read_Float32WithThreeChannels_AveragesChannelsExactly()
    {
        float[] interleaved = [0.5f, -0.25f, 1f, 0.1f, 0.2f, 0.3f, -1f, -1f, -1f, 1.5f, 0f, 0f];
        var data = new byte[interleaved.Length * 4];
        for (int i = 0; i < interleaved.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), interleaved[i]);
        var clip = ReadWav(new WavBuilder { FormatTag = 3, BitsPerSample = 32, Channels = 3, Data = data });

        var expected = new float[4];
        for (int i = 0; i < 4; i++)
            expected[i] = (float)(((double)interleaved[3 * i] + interleaved[3 * i + 1] + interleaved[3 * i + 2]) / 3);
        Assert.Equal(expected, clip.Samples);
        Assert.Equal(3, clip.Channels);
    }

    [Fact]
    public void Read_Float64_RoundsToNearestFloat()
    {
        double[] values = [0.1, -0.7, 1e-9, 0.999999999];
        var data = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), values[i]);
        var clip = ReadWav(new WavBuilder { FormatTag = 3, BitsPerSample = 64, Data = data });
        Assert.Equal(values.Select(v => (float)v).ToArray(), clip.Samples);
    }

    [Fact]
    public void Read_ExtensiblePcm24Stereo_MatchesPlainPcm()
    {
        var values = Signals.Integers(2000, -8388608, 8388607, seed: 7);
        var data = IntBytes(values, 3);
        var plain = ReadWav(new WavBuilder { Channels = 2, BitsPerSample = 24, Data = data }, "plain.wav");
        var extensible = ReadWav(new WavBuilder { Channels = 2, BitsPerSample = 24, ExtensibleSubFormat = 1, Data = data }, "ext.wav");

        Assert.Equal(ExpectedMix(values, 2, 24), extensible.Samples);
        Assert.Equal(plain.Samples, extensible.Samples);
    }

    [Fact]
    public void Read_ExtensibleFloat_ReadsFloatSamples()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(data, 0.25f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -0.75f);
        var clip = ReadWav(new WavBuilder { BitsPerSample = 32, ExtensibleSubFormat = 3, Data = data });
        Assert.Equal([0.25f, -0.75f], clip.Samples);
    }

    [Fact]
    public void Read_ExtensibleWithUnknownSubFormat_ThrowsUnsupported()
    {
        var path = _dir.Write("adpcm.wav", new WavBuilder { BitsPerSample = 16, ExtensibleSubFormat = 2, Data = new byte[8] }.ToBytes());
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.Contains("adpcm.wav", e.Message);
        Assert.Contains("sub-format", e.Message);
    }

    [Fact]
    public void Read_UnsupportedFormatTag_NamesTheTag()
    {
        var path = _dir.Write("alaw.wav", new WavBuilder { FormatTag = 6, BitsPerSample = 8, Data = new byte[8] }.ToBytes());
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.Equal(path + ": unsupported WAV encoding (format tag 0x0006; only PCM and IEEE float are supported)", e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void Read_UnknownAndOddSizedChunks_AreSkipped()
    {
        var values = Signals.Integers(301, -32768, 32767, seed: 3);
        var clip = ReadWav(new WavBuilder
        {
            Data = IntBytes(values, 2),
            ChunksBeforeFmt = [("JUNK", new byte[5])],
            ChunksBeforeData = [("LIST", "INFOISFT\u0005\0\0\0sox!\0\0"u8.ToArray()), ("odd ", new byte[] { 1, 2, 3 })],
            ChunksAfterData = [("id3 ", new byte[7])],
        });
        Assert.Equal(ExpectedMix(values, 1, 16), clip.Samples);
    }

    [Fact]
    public void Read_OddSizedDataChunkFollowedByChunk_UsesPaddedLayout()
    {
        byte[] data = [10, 20, 30, 40, 50];
        var clip = ReadWav(new WavBuilder { BitsPerSample = 8, Data = data, ChunksAfterData = [("LIST", new byte[12])] });
        Assert.Equal(data.Select(b => (b - 128) / 128f).ToArray(), clip.Samples);
    }

    [Fact]
    public void Read_FmtChunkAfterDataChunk_IsFound()
    {
        var values = Signals.Integers(50, -32768, 32767, seed: 9);
        var clip = ReadWav(new WavBuilder { Data = IntBytes(values, 2), DataBeforeFmt = true });
        Assert.Equal(ExpectedMix(values, 1, 16), clip.Samples);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    public void Read_StreamingDataSize_UsesRestOfFile(uint sizeField)
    {
        var values = Signals.Integers(777, -32768, 32767, seed: 11);
        var clip = ReadWav(new WavBuilder { Channels = 1, Data = IntBytes(values, 2), DataSizeField = sizeField });
        Assert.Equal(ExpectedMix(values, 1, 16), clip.Samples);
    }

    [Fact]
    public void Read_Rf64WithDs64Chunk_ReadsData()
    {
        var values = Signals.Integers(400, -8388608, 8388607, seed: 13);
        var clip = ReadWav(new WavBuilder { Channels = 2, BitsPerSample = 24, Data = IntBytes(values, 3), Rf64 = true }, "big.rf64");
        Assert.Equal(ExpectedMix(values, 2, 24), clip.Samples);
        Assert.Equal("wav", clip.Format);
    }

    [Fact]
    public void Read_DataSizeBeyondEndOfFile_ThrowsTruncatedWithSizes()
    {
        var bytes = new WavBuilder { Data = new byte[1200], DataSizeField = 32000 }.ToBytes();
        var path = _dir.Write("clip.wav", bytes);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.Equal(path + ": truncated data chunk (expected 32000 bytes, found 1200)", e.Message);
    }

    [Fact]
    public void Read_InconsistentBlockAlign_ThrowsCorruptFmt()
    {
        var bytes = new WavBuilder { Channels = 2, BitsPerSample = 16, Data = new byte[16] }.ToBytes();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(12 + 8 + 12), 3); // blockAlign
        var path = _dir.Write("align.wav", bytes);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.Contains("block align 3", e.Message);
    }

    [Fact]
    public void Read_FileExtensionIsIgnored_FormatComesFromMagicBytes()
    {
        var values = Signals.Integers(100, -32768, 32767, seed: 5);
        var clip = ReadWav(new WavBuilder { Data = IntBytes(values, 2) }, "actually-a-wav.mp3");
        Assert.Equal("wav", clip.Format);
        Assert.Equal(ExpectedMix(values, 1, 16), clip.Samples);
    }

    [Fact]
    public void Decode_InMemoryBytes_MatchesRead()
    {
        var bytes = new WavBuilder { Data = IntBytes(Signals.Integers(64, -32768, 32767, seed: 2), 2) }.ToBytes();
        var path = _dir.Write("mem.wav", bytes);
        Assert.Equal(AudioFile.Read(path).Samples, AudioFile.Decode(bytes, "mem.wav").Samples);
    }

    [Fact]
    public void Read_CommittedSoxFixtures_HaveExpectedShape()
    {
        var mono = AudioFile.Read(Support.Fixtures.Path("audio/mono16.wav"));
        Assert.Equal((12000, 16000, 1), (mono.Samples.Length, mono.SampleRate, mono.Channels));
        var stereo = AudioFile.Read(Support.Fixtures.Path("audio/stereo24.wav")); // WAVE_FORMAT_EXTENSIBLE with a 'fact' chunk
        Assert.Equal((6400, 16000, 2), (stereo.Samples.Length, stereo.SampleRate, stereo.Channels));
        Assert.Equal(TimeSpan.FromSeconds(0.4), stereo.Duration);
        var eight = AudioFile.Read(Support.Fixtures.Path("audio/mono8.wav"));
        Assert.Equal((5513, 11025, 1), (eight.Samples.Length, eight.SampleRate, eight.Channels));
    }
}
