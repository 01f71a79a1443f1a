using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Tests.Audio;

public sealed class CompressedDecodingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Support.Fixtures.Path("audio/" + name);

    [Theory]
    [InlineData("mono16.mp3")]
    [InlineData("mono16_crc.mp3")] // lame -p: frames carry a CRC, which does not move the tag
    [InlineData("mono16_vbr.mp3")] // lame -V 2: a Xing frame with a table of contents before the LAME tag
    public void Read_Mp3Fixture_IsAlignedWithTheSourceAndAsLong(string name)
    {
        var source = AudioFile.Read(Fixture("mono16.wav")).Samples;
        var clip = AudioFile.Read(Fixture(name));

        Assert.Equal(("mp3", 16000, 1), (clip.Format, clip.SampleRate, clip.Channels));
        // the LAME tag's encoder delay and padding and the decoder's 529 samples are removed: gapless, sample for sample
        Assert.Equal(source.Length, clip.Samples.Length);
        var (correlation, lag) = Signals.BestAlignment(source, clip.Samples, maxLag: 1500, margin: 300);
        Assert.True(correlation > 0.99, $"correlation {correlation} at lag {lag}");
        Assert.Equal(0, lag);
    }

    [Fact]
    public void Read_Mp3WithoutLameTag_RemovesTheDecoderDelayButKeepsTheEncoders()
    {
        var source = AudioFile.Read(Fixture("mono16.wav")).Samples;
        var clip = AudioFile.Read(Fixture("mono16_untagged.mp3")); // lame -t: no Xing/Info frame

        // nothing records LAME's 576 samples of encoder delay, so the audio starts that late and keeps its end padding
        var (correlation, lag) = Signals.BestAlignment(source, clip.Samples, maxLag: 1500, margin: 300);
        Assert.True(correlation > 0.99, $"correlation {correlation} at lag {lag}");
        Assert.Equal(576, lag);
        Assert.True(clip.Samples.Length >= source.Length + 576, $"{clip.Samples.Length} samples do not cover the source's {source.Length} after the delay");
    }

    [Fact]
    public void Read_OggVorbisFixture_CorrelatesWithSourceWithoutDelay()
    {
        var source = AudioFile.Read(Fixture("mono16.wav")).Samples;
        var clip = AudioFile.Read(Fixture("mono16.ogg"));

        Assert.Equal(("ogg", 16000, 1), (clip.Format, clip.SampleRate, clip.Channels));
        Assert.Equal(source.Length, clip.Samples.Length); // Vorbis granule positions give the exact length
        var (correlation, lag) = Signals.BestAlignment(source, clip.Samples, maxLag: 100, margin: 200);
        Assert.True(correlation > 0.99, $"correlation {correlation} at lag {lag}");
        Assert.Equal(0, lag);
    }

    [Theory]
    [InlineData("mono16.mp3", 0)]
    [InlineData("mono16_untagged.mp3", 576)]
    [InlineData("mono16.ogg", 0)]
    public void Read_LossyFixture_KeepsEverySineComponentWithin7Percent(string name, int delay)
    {
        var source = AudioFile.Read(Fixture("mono16.wav")).Samples;
        var decoded = AudioFile.Read(Fixture(name)).Samples;
        foreach (var (frequency, amplitude) in new[] { (440.0, 0.3), (1250.0, 0.2), (2730.0, 0.1), (3900.0, 0.1), (5100.0, 0.1) })
        {
            Assert.Equal(amplitude, Signals.FitSine(source.AsSpan(2000, 8000), frequency, 16000).Amplitude, 0.002);
            var measured = Signals.FitSine(decoded.AsSpan(2000 + delay, 8000), frequency, 16000).Amplitude;
            Assert.True(Math.Abs(measured - amplitude) < 0.07 * amplitude, $"{name}: {frequency} Hz amplitude {measured}, source {amplitude}");
        }
    }

    [Fact]
    public void Read_TruncatedOgg_ThrowsWithFileName()
    {
        var bytes = File.ReadAllBytes(Fixture("mono16.ogg"));
        var path = _dir.Write("cut.ogg", bytes[..200]);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
    }

    [Fact]
    public void Read_Mp3HeaderFollowedByGarbage_ThrowsWithFileName()
    {
        var rng = new Random(1);
        var bytes = new byte[3000];
        rng.NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xFB; // MPEG-1 layer III
        bytes[2] = 0x90;
        bytes[3] = 0x00;
        var path = _dir.Write("noise.mp3", bytes);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
    }

    [Theory]
    [InlineData("mono16.opus", "mono16.wav", 1)]
    [InlineData("stereo24.opus", "stereo24.wav", 2)]
    public void Read_OggOpusFixture_HasTheSourcesLengthAt48kHzAndCorrelatesWithIt(string opus, string wav, int channels)
    {
        var source = AudioFile.Load(Fixture(wav));
        var clip = AudioFile.Read(Fixture(opus));
        var resampled = AudioFile.Load(Fixture(opus));

        Assert.Equal(("opus", 48000, channels), (clip.Format, clip.SampleRate, clip.Channels));
        Assert.Equal(source.Length * 3, clip.Samples.Length); // pre-skip dropped, end cut at the granule position
        Assert.Equal(source.Length, resampled.Length);
        var (correlation, lag) = Signals.BestAlignment(source, resampled, maxLag: 100, margin: 200);
        Assert.True(correlation > 0.9, $"correlation {correlation} at lag {lag}");
        Assert.Equal(0, lag);
    }

    [Fact]
    public void Read_OggOpusHeaderAlone_IsATruncatedStream()
    {
        var page = new byte[27 + 1 + 19];
        "OggS"u8.CopyTo(page);
        page[5] = 2;   // beginning of stream
        page[26] = 1;  // one segment
        page[27] = 19; // of 19 bytes
        "OpusHead"u8.CopyTo(page.AsSpan(28));
        page[28 + 9] = 1; // one channel
        var path = _dir.Write("speech.opus", page);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.Equal(path + ": truncated Ogg Opus stream (no OpusTags header)", e.Message);
    }

    [Theory] // the fixture: an ID3v2 tag, 24 frames of 288 bytes from byte 136, an ID3v1 tag
    [InlineData(200)]
    [InlineData(3000)]
    [InlineData(7000)]
    public void Read_Mp3CutMidFrame_IsATruncatedStreamNotAShorterClip(int kept)
    {
        var bytes = File.ReadAllBytes(Fixture("mono16.mp3"));
        var path = _dir.Write("cut.mp3", bytes[..kept]);

        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));

        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(path)}: truncated MP3 stream \\(the frame at byte [0-9]+ needs [0-9]+ bytes, [0-9]+ remain\\)$", e.Message);
    }

    [Fact]
    public void Read_Mp3WithUnknownBytesAfterItsFrames_DecodesAsWithout()
    {
        // the frames do not run to the end of the file, so their count is not trusted: the samples are gathered as they come
        var bytes = File.ReadAllBytes(Fixture("mono16.mp3")); // ends with a 128-byte ID3v1 tag
        var path = _dir.Write("trailing.mp3", [.. bytes[..^128], .. new byte[700], .. bytes[^128..]]);

        Assert.Equal(AudioFile.Read(Fixture("mono16.mp3")).Samples, AudioFile.Read(path).Samples);
    }

    [Fact]
    public void Read_Mp3WithAnId3v1TagAtTheEnd_DecodesAsWithout()
    {
        var bytes = File.ReadAllBytes(Fixture("mono16.mp3"));
        var tag = new byte[128];
        "TAG"u8.CopyTo(tag);
        var path = _dir.Write("tagged.mp3", [.. bytes, .. tag]);

        Assert.Equal(AudioFile.Read(Fixture("mono16.mp3")).Samples, AudioFile.Read(path).Samples);
    }

    [Theory]
    [InlineData("mono16.ogg", "Vorbis")]
    [InlineData("mono16.opus", "Opus")]
    public void Read_OggCutAtAPageBoundary_IsATruncatedStream(string fixture, string codec)
    {
        var bytes = File.ReadAllBytes(Fixture(fixture));
        int lastPage = bytes.AsSpan().LastIndexOf("OggS"u8);
        var path = _dir.Write("cut" + Path.GetExtension(fixture), bytes[..lastPage]);

        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));

        Assert.Equal($"{path}: truncated Ogg {codec} stream (its last page, which ends the stream, is missing)", e.Message);
    }

    [Theory]
    [InlineData("mono16.opus")]
    [InlineData("mono16.ogg")]
    public void Read_OggCutMidPage_NamesTheBrokenPage(string fixture)
    {
        var bytes = File.ReadAllBytes(Fixture(fixture));
        var path = _dir.Write("cut" + Path.GetExtension(fixture), bytes[..(bytes.Length - 100)]);

        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));

        Assert.StartsWith(path + ": truncated Ogg page at byte ", e.Message);
    }

    [Fact]
    public void Read_Mp3CutInsideAFrameHeader_IsATruncatedStream()
    {
        var bytes = File.ReadAllBytes(Fixture("mono16.mp3"));
        var path = _dir.Write("cut.mp3", bytes[..(136 + 10 * 288 + 2)]);

        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));

        Assert.Equal($"{path}: truncated MP3 stream (a frame header at byte 3016 has 2 of its 4 bytes)", e.Message);
    }

    [Fact]
    public void Read_OggVorbisWithATagAfterItsLastPage_DecodesAsWithout()
    {
        var bytes = File.ReadAllBytes(Fixture("mono16.ogg"));
        var tag = new byte[128];
        "TAG"u8.CopyTo(tag);
        var path = _dir.Write("tagged.ogg", [.. bytes, .. tag]);

        Assert.Equal(AudioFile.Read(Fixture("mono16.ogg")).Samples, AudioFile.Read(path).Samples);
    }
}
