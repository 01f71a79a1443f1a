using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Audio.Webm;

namespace Wav2Vec2Sharp.Tests.Audio;

/// <summary>
/// WebM Opus, as browsers' MediaRecorder makes it. The files are the packets of the Ogg Opus fixtures re-muxed by
/// <see cref="WebmTestMuxer"/>, so the same decoder on the same packets must give the very same samples.
/// </summary>
public sealed class WebmOpusDecodingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Support.Fixtures.Path("audio/" + name);

    private AudioDecodeException ReadFails(string name, byte[] bytes, out string path)
    {
        var file = path = _dir.Write(name, bytes);
        return Assert.Throws<AudioDecodeException>(() => AudioFile.Read(file));
    }

    [Theory]
    [InlineData("mono16.opus", 1.0)]
    [InlineData("mono16.opus", 0.1)]
    [InlineData("stereo24.opus", 1.0)]
    [InlineData("stereo24.opus", 0.1)]
    public void Read_MediaRecorderStyleWebm_GivesTheOggOpusSamplesAndTheLastPacketsEnd(string opus, double clusterSeconds)
    {
        var ogg = AudioFile.Read(Fixture(opus));
        var muxer = new WebmTestMuxer(Fixture(opus)) { ClusterSeconds = clusterSeconds };
        var path = _dir.Write("recording.webm", muxer.Build());

        var webm = AudioFile.Read(path);

        Assert.Equal(("webm", 48000, muxer.Channels), (webm.Format, webm.SampleRate, webm.Channels));
        // MediaRecorder writes no DiscardPadding: the last packet is kept whole, where Ogg cuts it at the granule position.
        Assert.Equal(muxer.PacketSamples.Sum() - muxer.PreSkip, webm.Samples.Length);
        Assert.Equal(muxer.LastGranule - muxer.PreSkip, ogg.Samples.Length);
        Assert.Equal(ogg.Samples, webm.Samples[..ogg.Samples.Length]);
    }

    [Theory]
    [InlineData("mono16.webm", "mono16.opus", 1)]   // known sizes, SeekHead, Tags, Cues, BlockGroups with DiscardPadding
    [InlineData("stereo24.webm", "stereo24.opus", 2)] // written to a pipe: a Segment of unknown size
    public void Read_FfmpegWebmFixture_GivesExactlyTheOggOpusSamples(string webmName, string opus, int channels)
    {
        var ogg = AudioFile.Read(Fixture(opus));

        var webm = AudioFile.Read(Fixture(webmName));

        Assert.Equal(("webm", 48000, channels), (webm.Format, webm.SampleRate, webm.Channels));
        Assert.Equal(ogg.Samples, webm.Samples);
    }

    [Theory]
    [InlineData("mono16.opus")]
    [InlineData("stereo24.opus")]
    public void Read_BlockGroupsOfKnownSizeWithDiscardPadding_GiveExactlyTheOggOpusSamples(string opus)
    {
        var ogg = AudioFile.Read(Fixture(opus));
        var plain = new WebmTestMuxer(Fixture(opus));
        var muxer = new WebmTestMuxer(Fixture(opus))
        {
            BlockGroups = true,
            ClusterSeconds = 0.2,
            DiscardAtEnd = (int)(plain.PacketSamples.Sum() - plain.LastGranule),
        };
        Assert.True(muxer.DiscardAtEnd > 0);
        var path = _dir.Write("known.webm", muxer.Build());

        var webm = AudioFile.Read(path);

        Assert.Equal(("webm", 48000, muxer.Channels), (webm.Format, webm.SampleRate, webm.Channels));
        Assert.Equal(ogg.Samples, webm.Samples);
    }

    [Theory]
    [InlineData(1)] // Xiph
    [InlineData(3)] // EBML
    public void Read_LacedBlocks_GiveTheSamplesOfUnlacedOnes(byte lacing)
    {
        var unlaced = AudioFile.Read(_dir.Write("unlaced.webm", new WebmTestMuxer(Fixture("stereo24.opus")).Build()));
        var muxer = new WebmTestMuxer(Fixture("stereo24.opus")) { Lacing = lacing, PacketsPerBlock = 3, ClusterSeconds = 0.1 };

        var laced = AudioFile.Read(_dir.Write("laced.webm", muxer.Build()));

        Assert.Equal(unlaced.Samples, laced.Samples);
    }

    [Fact]
    public void Demuxer_FixedSizeLacing_SplitsTheBlockEvenly()
    {
        byte[] block = [0x81, 0, 0, 0x80 | 2 << 1, 2, 1, 1, 2, 2, 3, 3]; // track 1, 3 frames of 2 bytes
        var file = Build(WebmTestMuxer.Element(0x1F43B675, WebmTestMuxer.UInt(0xE7, 0), WebmTestMuxer.Element(0xA3, block)));

        var contents = WebmDemuxer.Read(file, "fixed.webm");

        byte[][] expected = [[1, 1], [2, 2], [3, 3]];
        Assert.Equal(expected, contents.Frames.Select(f => f.Data.ToArray()).ToArray());
        Assert.All(contents.Frames, f => Assert.Equal(1UL, f.Track));
    }

    [Fact]
    public void Read_WebmCutMidCluster_DecodesThePrefixOfCompleteBlocks()
    {
        var muxer = new WebmTestMuxer(Fixture("mono16.opus"));
        var bytes = muxer.Build();
        var full = AudioFile.Read(_dir.Write("full.webm", bytes)).Samples;

        foreach (double fraction in new[] { 0.3, 0.6, 0.95 })
        {
            int cut = (int)(bytes.Length * fraction);
            var samples = AudioFile.Read(_dir.Write($"cut{cut}.webm", bytes[..cut])).Samples;

            Assert.InRange(samples.Length, 1, full.Length - 1);
            Assert.Equal(full[..samples.Length], samples);
        }
    }

    [Fact]
    public void Read_WebmCutBeforeTheFirstCompleteBlock_IsTruncatedWithNoAudio()
    {
        var bytes = new WebmTestMuxer(Fixture("mono16.opus")).Build();
        int cluster = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x1F, 0x43, 0xB6, 0x75]);
        int cut = cluster + 4 + 8 + 3 + 20; // Cluster ID, unknown size, Timecode, then 20 bytes of the first SimpleBlock

        var e = ReadFails("cut.webm", bytes[..cut], out var path);

        Assert.Equal(path + $": truncated WebM: no audio (the file ends at byte {cut}, before the first complete audio block)", e.Message);
    }

    [Fact]
    public void Read_WebmCutInsideTheTrackList_IsTruncatedWithNoAudio()
    {
        var bytes = new WebmTestMuxer(Fixture("mono16.opus")).Build();
        int tracks = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x16, 0x54, 0xAE, 0x6B]);

        var e = ReadFails("cut.webm", bytes[..(tracks + 6)], out var path);

        Assert.Equal(path + $": truncated WebM: no audio (the file ends at byte {tracks + 6}, before the track list)", e.Message);
    }

    [Fact]
    public void Read_WebmWithAVorbisTrack_IsRefused()
    {
        var bytes = new WebmTestMuxer(Fixture("mono16.opus")) { CodecId = "A_VORBIS" }.Build();

        var e = ReadFails("vorbis.webm", bytes, out var path);

        Assert.Equal(path + ": the WebM track is A_VORBIS, not Opus", e.Message);
    }

    [Fact]
    public void Read_MatroskaDocType_IsRead_AndAnotherDocTypeIsRefused()
    {
        var matroska = new WebmTestMuxer(Fixture("mono16.opus")) { DocType = "matroska" }.Build();
        Assert.Equal("webm", AudioFile.Read(_dir.Write("audio.mka", matroska)).Format);

        var e = ReadFails("other.webm", new WebmTestMuxer(Fixture("mono16.opus")) { DocType = "mkv3d" }.Build(), out var path);

        Assert.Equal(path + ": not a WebM file (EBML document type \"mkv3d\"; expected webm or matroska)", e.Message);
    }

    [Fact]
    public void Read_GarbageAfterTheEbmlMagic_IsNotAWebmFile()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var bytes = new byte[500];
            new Random(seed).NextBytes(bytes);
            byte[] magic = [0x1A, 0x45, 0xDF, 0xA3];
            magic.CopyTo(bytes, 0);

            var e = ReadFails($"garbage{seed}.webm", bytes, out var path);

            Assert.StartsWith(path + ": not a WebM file (", e.Message);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }, "the file ends inside the EBML header")]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3, 0x00, 0x00 }, "invalid EBML header size")]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3, 0x80 }, "the EBML header names no DocType")]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3, 0x90, 1, 2 }, "the EBML header needs 21 bytes, the file has 7")]
    public void Read_BrokenEbmlHeader_IsNotAWebmFile(byte[] bytes, string problem)
    {
        var e = ReadFails("broken.webm", bytes, out var path);

        Assert.Equal(path + ": not a WebM file (" + problem + ")", e.Message);
    }

    [Fact]
    public void Read_GarbageAfterAValidHeader_IsCorrupt()
    {
        byte[] bytes = [.. Build(), 0x00, 0x13, 0x37];

        var e = ReadFails("corrupt.webm", bytes, out var path);

        Assert.Equal(path + $": corrupt WebM: invalid element header at byte {bytes.Length - 3}", e.Message);
    }

    [Fact]
    public void Load_Webm_ResamplesTo16kHz()
    {
        var muxer = new WebmTestMuxer(Fixture("mono16.opus"));
        var path = _dir.Write("recording.webm", muxer.Build());

        var samples = AudioFile.Load(path);

        Assert.Equal(Resampler.OutputLength(muxer.PacketSamples.Sum() - muxer.PreSkip, 48000, 16000), samples.Length);
    }

    /// <summary>An EBML header for DocType webm followed by an unknown-size Segment holding <paramref name="segment"/>.</summary>
    private static byte[] Build(params byte[][] segment)
    {
        var header = WebmTestMuxer.Element(0x1A45DFA3, WebmTestMuxer.Text(0x4282, "webm"));
        return [.. header, .. WebmTestMuxer.UnknownSized(0x18538067, segment)];
    }
}
