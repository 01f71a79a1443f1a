using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Tests.Audio;

public sealed class FlacDecodingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Support.Fixtures.Path("audio/" + name);

    [Theory]
    [InlineData("mono16.flac", "mono16.wav")]        // LPC, PADDING/SEEKTABLE/VORBIS_COMMENT blocks skipped
    [InlineData("mono16_lpc8.flac", "mono16.wav")]   // flac -8: LPC order 12
    [InlineData("mono16_lpc32.flac", "mono16.wav")]  // flac --lax -l 32: LPC orders 15..31
    [InlineData("mono16_fixed.flac", "mono16.wav")]  // FIXED predictors only
    [InlineData("stereo24.flac", "stereo24.wav")]    // 24-bit, independent, left/side, right/side and mid/side frames, Rice2
    [InlineData("stereo32.flac", "stereo32.wav")]    // 32-bit, mid/side with a 33-bit side channel
    [InlineData("mono8.flac", "mono8.wav")]          // 8-bit at 11025 Hz (sample rate coded in the frame header)
    [InlineData("mono8_wasted.flac", "mono8.wav")]   // 16-bit with 8 wasted bits: the same values as the 8-bit source
    [InlineData("constant.flac", "constant.wav")]    // CONSTANT subframe with wasted bits, --no-padding
    public void Read_FlacFixture_IsBitExactAgainstSourceWav(string flac, string wav)
    {
        var expected = AudioFile.Read(Fixture(wav));
        var actual = AudioFile.Read(Fixture(flac));

        Assert.Equal("flac", actual.Format);
        Assert.Equal(expected.SampleRate, actual.SampleRate);
        Assert.Equal(expected.Channels, actual.Channels);
        Assert.Equal(expected.Samples.Length, actual.Samples.Length);
        Assert.Equal(expected.Samples, actual.Samples);
    }

    [Fact]
    public void Read_ConstantFixture_IsAQuarterOfFullScale()
    {
        var clip = AudioFile.Read(Fixture("constant.flac"));
        Assert.Equal(4000, clip.Samples.Length);
        Assert.All(clip.Samples, s => Assert.Equal(0.25f, s));
    }

    private static long[] SineInts(int n, double amplitude, double cyclesPerSample, double phase = 0) =>
        Enumerable.Range(0, n).Select(i => (long)Math.Round(amplitude * Math.Sin(2 * Math.PI * cyclesPerSample * i + phase))).ToArray();

    private static float[] Scale(IEnumerable<long> samples, int bps) => samples.Select(s => (float)(s / Math.Pow(2, bps - 1))).ToArray();

    [Fact]
    public void Read_HandCraftedStream_DecodesEverySubframeTypeAndResidualCoding()
    {
        const int n = 256;
        var rng = new Random(42);
        var blocks = new List<long[]>();
        var frames = new List<byte[]>();
        void Add(long[] samples, Action<BitWriter> sub)
        {
            blocks.Add(samples);
            frames.Add(FlacTestEncoder.Frame(frames.Count, n, 0, sub));
        }

        var constant = Enumerable.Repeat(-1234L, n).ToArray();
        Add(constant, w => FlacTestEncoder.Constant(w, -1234, 16));

        var noise = Enumerable.Range(0, n).Select(_ => (long)rng.Next(-32768, 32768)).ToArray();
        Add(noise, w => FlacTestEncoder.Verbatim(w, noise, 16));

        var sine = SineInts(n, 20000, 0.013, 0.4);
        for (int order = 0; order <= 4; order++)
        {
            int o = order;
            Add(sine, w => FlacTestEncoder.Fixed(w, sine, 16, o, ResidualCoding.Rice(partitionOrder: 2)));
        }

        // LPC of order 32 with 15-bit coefficients and Rice2 partitions, two of them escaped to raw 20-bit values.
        var coefs = Enumerable.Range(0, 32).Select(j => (int)(3000 * Math.Cos(j * 0.7) * Math.Exp(-j / 10.0))).ToArray();
        coefs[0] = 16383;
        coefs[1] = -16384;
        var lpcSignal = Enumerable.Range(0, n).Select(i => sine[i] / 4 + rng.Next(-50, 50)).ToArray();
        var rice2 = new ResidualCoding(1, 3, [ResidualCoding.Auto, null, ResidualCoding.Auto, ResidualCoding.Auto, null, ResidualCoding.Auto, 30, ResidualCoding.Auto], EscapeBits: 31);
        Add(lpcSignal, w => FlacTestEncoder.Lpc(w, lpcSignal, 16, coefs, precision: 15, shift: 13, rice2));

        // LPC with wasted bits (all samples multiples of 8) and a zero shift.
        var coarse = sine.Select(s => s / 8 * 8).ToArray();
        Add(coarse, w => FlacTestEncoder.Lpc(w, coarse, 16, [2, -1], precision: 3, shift: 0, ResidualCoding.Rice(1), wastedBits: 3));

        // VERBATIM with wasted bits.
        var even = noise.Select(s => s / 4 * 4).ToArray();
        Add(even, w => FlacTestEncoder.Verbatim(w, even, 16, wastedBits: 2));

        // A linear ramp: the order-2 residual is all zero, sent as an escaped partition of 0-bit values.
        var ramp = Enumerable.Range(0, n).Select(i => (long)(-10000 + 37 * i)).ToArray();
        Add(ramp, w => FlacTestEncoder.Fixed(w, ramp, 16, 2, new ResidualCoding(0, 0, [null], EscapeBits: 0)));

        var all = blocks.SelectMany(b => b).ToArray();
        var bytes = FlacTestEncoder.StreamHeader(16000, 1, 16, all.Length, n).Concat(frames.SelectMany(f => f)).ToArray();
        var clip = AudioFile.Read(_dir.Write("crafted.flac", bytes));

        Assert.Equal(Scale(all, 16), clip.Samples);
        Assert.Equal((16000, 1, "flac"), (clip.SampleRate, clip.Channels, clip.Format));
    }

    [Theory]
    [InlineData(8)]   // left/side
    [InlineData(9)]   // side/right
    [InlineData(10)]  // mid/side
    [InlineData(1)]   // independent
    public void Read_HandCrafted32BitStereo_DecorrelatesWith33BitSideChannel(int assignment)
    {
        const int n = 64, bps = 32;
        var rng = new Random(assignment);
        var left = new long[n];
        var right = new long[n];
        for (int i = 0; i < n; i++)
        {
            left[i] = i switch { 0 => int.MinValue, 1 => int.MaxValue, _ => rng.NextInt64(int.MinValue, (long)int.MaxValue + 1) };
            right[i] = i switch { 0 => int.MaxValue, 1 => int.MinValue, _ => rng.NextInt64(int.MinValue, (long)int.MaxValue + 1) };
        }
        var side = left.Zip(right, (l, r) => l - r).ToArray();
        var mid = left.Zip(right, (l, r) => (l + r) >> 1).ToArray();
        var (first, second, firstBits, secondBits) = assignment switch
        {
            8 => (left, side, bps, bps + 1),
            9 => (side, right, bps + 1, bps),
            10 => (mid, side, bps, bps + 1),
            _ => (left, right, bps, bps),
        };
        // Frame numbers 0x7F, 0x80 and 0x10000 take one, two and four bytes in the UTF-8-like coding.
        var frames = new[] { 0x7FL, 0x80L, 0x10000L }.Select(number => FlacTestEncoder.Frame(number, n, assignment, w =>
        {
            FlacTestEncoder.Verbatim(w, first, firstBits);
            FlacTestEncoder.Verbatim(w, second, secondBits);
        }));
        var bytes = FlacTestEncoder.StreamHeader(48000, 2, bps, 3 * n, n).Concat(frames.SelectMany(f => f)).ToArray();
        var clip = AudioFile.Read(_dir.Write("stereo32.flac", bytes));

        var expected = Enumerable.Range(0, n).Select(i => (float)((left[i] / 2147483648.0 + right[i] / 2147483648.0) / 2)).ToArray();
        Assert.Equal(expected.Concat(expected).Concat(expected).ToArray(), clip.Samples);
        Assert.Equal((48000, 2), (clip.SampleRate, clip.Channels));
    }

    private static (byte[] Bytes, int FrameStart, int FrameLength) CraftedVerbatimStream(int frames = 2)
    {
        const int n = 100;
        var samples = Enumerable.Range(0, n).Select(i => (long)(i * 300 - 15000)).ToArray();
        var header = FlacTestEncoder.StreamHeader(16000, 1, 16, frames * n, n);
        var frame = FlacTestEncoder.Frame(0, n, 0, w => FlacTestEncoder.Verbatim(w, samples, 16));
        var bytes = header.Concat(Enumerable.Range(0, frames).SelectMany(_ => frame)).ToArray();
        return (bytes, header.Length, frame.Length);
    }

    [Fact]
    public void Read_FrameDataWithFlippedBit_ThrowsCrc16Mismatch()
    {
        var (bytes, start, length) = CraftedVerbatimStream();
        bytes[start + length / 2] ^= 0x10;
        var path = _dir.Write("flipped.flac", bytes);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.Equal(path + $": corrupt data (CRC-16 mismatch in frame 0 at byte {start})", e.Message);
    }

    [Fact]
    public void Read_FrameHeaderWithFlippedBit_ThrowsCrc8Mismatch()
    {
        var (bytes, start, length) = CraftedVerbatimStream();
        bytes[start + length + 4] ^= 0x01; // second frame, low bit of the frame number
        var path = _dir.Write("header.flac", bytes);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.Contains("CRC-8 mismatch", e.Message);
        Assert.Contains("header.flac", e.Message);
    }

    [Fact]
    public void Read_StreamMissingWholeFrames_ThrowsTruncatedWithSampleCounts()
    {
        var (bytes, start, length) = CraftedVerbatimStream(frames: 3);
        var path = _dir.Write("short.flac", bytes[..(start + 2 * length)]);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.Equal(path + ": truncated FLAC data (expected 300 samples, found 200)", e.Message);
    }

    [Fact]
    public void Read_FixtureCutInsideAFrame_ThrowsTruncated()
    {
        var bytes = File.ReadAllBytes(Fixture("mono16_lpc8.flac"));
        var path = _dir.Write("cut.flac", bytes[..(bytes.Length * 6 / 10)]);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.StartsWith(path + ": truncated FLAC data (frame ", e.Message);
    }

    [Fact]
    public void Read_FixtureCutInsideMetadata_ThrowsTruncatedMetadata()
    {
        var bytes = File.ReadAllBytes(Fixture("mono16.flac"));
        var path = _dir.Write("meta.flac", bytes[..30]);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.Equal(path + ": truncated FLAC metadata", e.Message);
    }

    [Fact]
    public void Read_StreamOfUnknownLengthWithTrailingId3v1Tag_DecodesAllFrames()
    {
        const int n = 100;
        var samples = Enumerable.Range(0, n).Select(i => (long)(i * 300 - 15000)).ToArray();
        var frame = FlacTestEncoder.Frame(0, n, 0, w => FlacTestEncoder.Verbatim(w, samples, 16));
        var tag = new byte[128];
        "TAG"u8.CopyTo(tag);
        byte[] bytes = [.. FlacTestEncoder.StreamHeader(16000, 1, 16, totalSamples: 0, n), .. frame, .. frame, .. tag];

        var clip = AudioFile.Read(_dir.Write("unknown.flac", bytes));

        Assert.Equal(Scale(samples.Concat(samples), 16), clip.Samples);
    }

    [Fact]
    public void Read_GarbageBetweenFrames_ThrowsLostFrameSync()
    {
        var (bytes, start, length) = CraftedVerbatimStream();
        byte[] broken = [.. bytes[..(start + length)], 0x12, 0x34, .. bytes[(start + length)..]];
        var path = _dir.Write("garbage.flac", broken);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Read(path));
        Assert.Equal(path + $": corrupt data (no frame sync code at byte {start + length}, frame 1)", e.Message);
    }

    [Fact]
    public void Read_FlacAfterId3v2Tag_IsDetectedAsFlac()
    {
        var flac = File.ReadAllBytes(Fixture("mono8.flac"));
        byte[] id3 = [(byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5];
        var clip = AudioFile.Read(_dir.Write("tagged.flac", [.. id3, .. flac]));
        Assert.Equal("flac", clip.Format);
        Assert.Equal(AudioFile.Read(Fixture("mono8.wav")).Samples, clip.Samples);
    }
}
