using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Tests.Audio;

public sealed class WavStreamReaderTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Pcm16(int frames, int channels, int seed)
    {
        var values = Signals.Integers(frames * channels, short.MinValue, short.MaxValue, seed);
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
            BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), (short)values[i]);
        return bytes;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    public void Any_range_read_from_the_stream_equals_the_same_range_of_the_whole_file(int channels, bool rf64)
    {
        var path = _temp.Write("clip.wav", new WavBuilder
        {
            Channels = channels, Data = Pcm16(5000, channels, 4), Rf64 = rf64,
            ChunksBeforeData = [("LIST", new byte[17])],
        }.ToBytes());
        var whole = AudioFile.Load(path, 16000);

        using var reader = WavStreamReader.TryOpen(path, 16000);

        Assert.NotNull(reader);
        Assert.Equal(whole.Length, reader.SampleCount);
        foreach (var (offset, length) in new[] { (0, 5000), (1234, 700), (4999, 1) })
        {
            var part = new float[length];
            reader.Read(offset, part);
            Assert.Equal(whole.AsSpan(offset, length).ToArray(), part);
        }
    }

    [Fact]
    public void Other_rates_and_files_that_are_not_wav_are_left_to_the_full_decoder()
    {
        var wav44 = _temp.Write("cd.wav", new WavBuilder { SampleRate = 44100, Data = Pcm16(2000, 1, 1) }.ToBytes());
        var text = _temp.Write("notes.wav", "not audio at all"u8.ToArray());

        Assert.Null(WavStreamReader.TryOpen(wav44, 16000));
        Assert.Null(WavStreamReader.TryOpen(text, 16000));
        Assert.Null(WavStreamReader.TryOpen(Path.Combine(_temp.Root, "missing.wav"), 16000));
    }

    [Fact]
    public void Reading_past_the_end_is_refused()
    {
        var path = _temp.Write("short.wav", new WavBuilder { Data = Pcm16(100, 1, 2) }.ToBytes());
        using var reader = WavStreamReader.TryOpen(path, 16000)!;

        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Read(90, new float[20]));
    }
}
