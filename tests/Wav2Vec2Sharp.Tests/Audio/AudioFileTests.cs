using System.Buffers.Binary;
using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Tests.Audio;

public sealed class AudioFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private AudioDecodeException ReadFails(string path) => Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        var path = Path.Combine(_dir.Root, "nope.wav");
        var e = ReadFails(path);
        Assert.Equal(path + ": file not found", e.Message);
        Assert.Equal(path, e.FilePath);
        Assert.Equal("file not found", e.Problem);
    }

    [Fact]
    public void Read_Directory_ThrowsNotAnAudioFile()
    {
        var e = ReadFails(_dir.Root);
        Assert.Contains("is a directory", e.Message);
    }

    [Fact]
    public void Read_RandomBytes_ThrowsUnrecognisedFormat()
    {
        var bytes = new byte[1000];
        new Random(3).NextBytes(bytes);
        bytes[0] = 0x12;
        var path = _dir.Write("random.wav", bytes);
        var e = ReadFails(path);
        Assert.StartsWith(path + ": unrecognised audio format (starts with bytes 12", e.Message);
    }

    [Fact]
    public void Read_EmptyFile_ThrowsEmpty()
    {
        var path = _dir.Write("empty.flac", []);
        Assert.Equal(path + ": empty file", ReadFails(path).Message);
    }

    [Theory]
    [InlineData(8, "truncated RIFF header (expected 12 bytes, found 8)")]
    [InlineData(16, "truncated header (no fmt chunk in 16 bytes)")]
    [InlineData(24, "truncated 'fmt' chunk (expected 16 bytes, found 4)")]
    public void Read_TruncatedWavHeader_ThrowsTruncated(int keep, string problem)
    {
        var bytes = new WavBuilder { Data = new byte[100] }.ToBytes();
        var path = _dir.Write("header.wav", bytes[..keep]);
        Assert.Equal(path + ": " + problem, ReadFails(path).Message);
    }

    [Fact]
    public void Read_TruncatedWavData_ThrowsTruncatedDataChunk()
    {
        var bytes = new WavBuilder { Data = new byte[32000] }.ToBytes();
        var path = _dir.Write("clip.wav", bytes[..(44 + 1200)]);
        Assert.Equal(path + ": truncated data chunk (expected 32000 bytes, found 1200)", ReadFails(path).Message);
    }

    [Fact]
    public void Read_WavWithoutDataChunk_ThrowsMissingData()
    {
        var bytes = new WavBuilder { Data = [] }.ToBytes();
        var path = _dir.Write("nodata.wav", bytes[..36]);
        Assert.Equal(path + ": missing data chunk", ReadFails(path).Message);
    }

    [Fact]
    public void Read_ZeroSampleWav_ThrowsNoSamples()
    {
        var path = _dir.Write("silent.wav", new WavBuilder { Data = [] }.ToBytes());
        Assert.Equal(path + ": no audio samples (zero-length audio)", ReadFails(path).Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+infinity")]
    [InlineData(float.NegativeInfinity, "-infinity")]
    public void Read_NonFiniteFloatWav_ThrowsInvalidSample(float bad, string shown)
    {
        var data = new byte[16];
        BinaryPrimitives.WriteSingleLittleEndian(data, 0.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), bad);
        var path = _dir.Write("nan.wav", new WavBuilder { FormatTag = 3, BitsPerSample = 32, Data = data }.ToBytes());
        Assert.Equal(path + $": non-finite sample value ({shown}) at sample 2", ReadFails(path).Message);
    }

    [Fact]
    public void Load_At16kHz_ReturnsTheSamplesUnchanged()
    {
        var path = Support.Fixtures.Path("audio/mono16.wav");
        Assert.Equal(AudioFile.Read(path).Samples, AudioFile.Load(path));
    }

    [Fact]
    public void Load_44100HzStereoWav_ResamplesTo16kHzKeepingTheTone()
    {
        const int rate = 44100, n = 44100 / 2;
        var tone = Signals.Sine(n, 1000, rate, amplitude: 0.6);
        var stereo = new float[2 * n];
        for (int i = 0; i < n; i++)
            (stereo[2 * i], stereo[2 * i + 1]) = (tone[i], tone[i]);
        var path = _dir.Write("cd.wav", new WavBuilder { Channels = 2, SampleRate = rate, Data = WavBuilder.Pcm16(stereo) }.ToBytes());

        var samples = AudioFile.Load(path);

        Assert.Equal((int)Math.Ceiling(n * 16000.0 / rate), samples.Length); // 8000
        var (amplitude, _) = Signals.FitSine(samples.AsSpan(1000, 6000), 1000, 16000);
        Assert.Equal(0.6, amplitude, 0.003);
    }

    [Fact]
    public void Load_11025HzFlac_ResamplesToCeilLength()
    {
        var samples = AudioFile.Load(Support.Fixtures.Path("audio/mono8.flac"));
        Assert.Equal((int)Math.Ceiling(5513 * 16000 / 11025.0), samples.Length);
        var at8k = AudioFile.Load(Support.Fixtures.Path("audio/mono8.flac"), targetSampleRate: 8000);
        Assert.Equal((int)Math.Ceiling(5513 * 8000 / 11025.0), at8k.Length);
    }

    [Fact]
    public void Load_MissingFile_ThrowsAudioDecodeException()
    {
        var path = Path.Combine(_dir.Root, "gone.flac");
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Load(path));
        Assert.Contains("gone.flac", e.Message);
    }
}
