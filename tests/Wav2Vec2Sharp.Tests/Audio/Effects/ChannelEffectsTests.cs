using Wav2Vec2Sharp.Audio.Effects;
using static Wav2Vec2Sharp.Tests.Audio.Effects.EffectMeasures;

namespace Wav2Vec2Sharp.Tests.Audio.Effects;

public sealed class ChannelEffectsTests
{
    private const int Rate = 16000;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Telephone_1kHzSine_KeepsItsLevel(bool muLaw)
    {
        var input = Signals.Sine(Rate, 1000, Rate, amplitude: 0.5);
        var copy = (float[])input.Clone();

        var output = ChannelEffects.Telephone(input, Rate, muLaw);

        Assert.Equal(input, copy);
        Assert.Equal(input.Length, output.Length);
        var middle = 2000..^2000;
        double change = Db(Power(output.AsSpan()[middle]) / Power(input.AsSpan()[middle]));
        Assert.True(Math.Abs(change) < 1, $"1 kHz level changed by {change:F2} dB");
    }

    [Theory]
    [InlineData(100)]
    [InlineData(6000)]
    public void Telephone_OutOfBandSine_IsAttenuatedMoreThan20dB(double frequency)
    {
        var input = Signals.Sine(Rate, frequency, Rate, amplitude: 0.5);

        var output = ChannelEffects.Telephone(input, Rate);

        var middle = 2000..^2000;
        double change = Db(Power(output.AsSpan()[middle]) / Power(input.AsSpan()[middle]));
        Assert.True(change < -20, $"{frequency} Hz attenuated by only {-change:F1} dB");
    }

    [Theory]
    [InlineData(NoiseColor.White, 10)]
    [InlineData(NoiseColor.Pink, 10)]
    [InlineData(NoiseColor.Brown, 10)]
    [InlineData(NoiseColor.White, 0)]
    [InlineData(NoiseColor.Pink, 25)]
    [InlineData(NoiseColor.Brown, 5)]
    public void AddNoise_GivesTheRequestedSnr(NoiseColor color, double snrDb)
    {
        var input = Signals.Sine(3 * Rate, 1000, Rate, amplitude: 0.3);

        var output = ChannelEffects.AddNoise(input, color, snrDb, new Random(42));

        var noise = Difference(output, input);
        double measured = Db(Power(input) / Power(noise));
        Assert.True(Math.Abs(measured - snrDb) < 0.5, $"{color}: SNR {measured:F2} dB for {snrDb} dB");
    }

    [Fact]
    public void AddNoise_PinkAndBrownSpectraFall_WhiteDoesNot()
    {
        var input = Signals.Sine(3 * Rate, 1000, Rate, amplitude: 0.3);
        double LowOverHigh(NoiseColor color)
        {
            var noise = Difference(ChannelEffects.AddNoise(input, color, 10, new Random(3)), input);
            return BandEnergy(noise, Rate, 0, 500) / BandEnergy(noise, Rate, 4000, 8000);
        }

        double white = LowOverHigh(NoiseColor.White), pink = LowOverHigh(NoiseColor.Pink), brown = LowOverHigh(NoiseColor.Brown);

        Assert.True(white < 0.25, $"white: energy below 500 Hz / above 4 kHz = {white:F3}");
        Assert.True(pink > 2, $"pink: energy below 500 Hz / above 4 kHz = {pink:F3}");
        Assert.True(brown > 10 * pink, $"brown: energy below 500 Hz / above 4 kHz = {brown:F3} (pink {pink:F3})");
    }

    [Fact]
    public void AddNoise_SameSeedSameNoise_SilenceUnchanged()
    {
        var input = Signals.Sine(Rate, 440, Rate);
        Assert.Equal(ChannelEffects.AddNoise(input, NoiseColor.Pink, 10, new Random(5)), ChannelEffects.AddNoise(input, NoiseColor.Pink, 10, new Random(5)));
        Assert.NotEqual(ChannelEffects.AddNoise(input, NoiseColor.Pink, 10, new Random(5)), ChannelEffects.AddNoise(input, NoiseColor.Pink, 10, new Random(6)));
        Assert.Equal(new float[100], ChannelEffects.AddNoise(new float[100], NoiseColor.White, 10, new Random(5)));
    }

    [Fact]
    public void AddBabble_GivesTheRequestedSnrAndIsDeterministic()
    {
        var input = Signals.Sine(2 * Rate, 1000, Rate, amplitude: 0.3);
        var others = Enumerable.Range(0, 10).Select(i => Signals.Sine(Rate / 2 + 777 * i, 200 + 90 * i, Rate, amplitude: 0.1 + 0.05 * i)).ToArray();

        var output = ChannelEffects.AddBabble(input, others, 12, new Random(9));

        double measured = Db(Power(input) / Power(Difference(output, input)));
        Assert.True(Math.Abs(measured - 12) < 0.5, $"babble SNR {measured:F2} dB");
        Assert.Equal(output, ChannelEffects.AddBabble(input, others, 12, new Random(9)));
        Assert.Throws<ArgumentException>(() => ChannelEffects.AddBabble(input, [new float[10]], 12, new Random(9)));
    }

    [Fact]
    public void Reverberate_KeepsLengthAndLevel()
    {
        var input = Signals.Sine(3 * Rate, 700, Rate, amplitude: 0.4);

        var output = ChannelEffects.Reverberate(input, Rate, 0.5, 3, new Random(1));

        Assert.Equal(input.Length, output.Length);
        Assert.Equal(Math.Sqrt(Power(input)), Math.Sqrt(Power(output)), 3);
        Assert.NotEqual(input, output);
    }

    [Theory]
    [InlineData(0.3, 3)]
    [InlineData(0.5, 3)]
    [InlineData(0.8, 3)]
    [InlineData(0.5, 0)]
    [InlineData(0.5, 10)]
    public void ImpulseResponse_DecaysWithTheRequestedRt60(double rt60, double directToReverberantDb)
    {
        for (int seed = 0; seed < 5; seed++)
        {
            var ir = RoomImpulseResponse.Build(Rate, rt60, directToReverberantDb, new Random(seed));

            double measured = SchroederRt60(ir, Rate);

            Assert.True(Math.Abs(measured - rt60) < 0.2 * rt60, $"seed {seed}: RT60 {measured:F3} s for {rt60} s");
            double direct = (double)ir[0] * ir[0], rest = 0;
            for (int i = 1; i < ir.Length; i++)
                rest += (double)ir[i] * ir[i];
            Assert.Equal(directToReverberantDb, Db(direct / rest), 3);
        }
    }

    [Fact]
    public void Reverberate_Impulse_ReturnsTheImpulseResponse()
    {
        var impulse = new float[Rate];
        impulse[0] = 1;

        var output = ChannelEffects.Reverberate(impulse, Rate, 0.4, 3, new Random(11));
        var ir = RoomImpulseResponse.Build(Rate, 0.4, 3, new Random(11));

        double scale = output[0] / ir[0];
        for (int i = 0; i < output.Length; i++)
        {
            double expected = i < ir.Length ? ir[i] * scale : 0;
            Assert.True(Math.Abs(output[i] - expected) < 1e-4 * Math.Abs(scale), $"sample {i}: {output[i]} vs {expected}");
        }
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(1.1)]
    [InlineData(1.0)]
    public void Speed_ChangesTheLengthByOneOverTheFactor(double factor)
    {
        var input = Signals.Sine(3 * Rate + 7, 500, Rate);

        var output = ChannelEffects.Speed(input, factor);

        Assert.True(Math.Abs(output.Length - input.Length / factor) <= 1, $"{output.Length} samples for {input.Length} / {factor}");
        // The pitch moves with the tempo: a 500 Hz tone played at 0.9 becomes 450 Hz.
        var (amplitude, _) = Signals.FitSine(output.AsSpan(2000, 16000), 500 * factor, Rate);
        Assert.True(amplitude > 0.45, $"amplitude at {500 * factor} Hz: {amplitude}");
    }

    [Theory]
    [InlineData(50, 4000, 200, 12, 1000, 0, 8000, 0, 12)]      // low shelf: +12 dB below 200 Hz
    [InlineData(1000, 5000, 100, 0, 1000, -10, 8000, 0, -10)]   // peaking band: -10 dB at its centre
    [InlineData(7000, 300, 100, 0, 1000, 0, 3000, -12, -12)]    // high shelf: -12 dB above 3 kHz
    public void Equalize_ChangesTheBalanceOfTwoTones_AndKeepsTheLevel(double toneHz, double referenceHz,
        double lowShelfHz, double lowShelfDb, double peakHz, double peakDb, double highShelfHz, double highShelfDb, double expectedDb)
    {
        var tone = Signals.Sine(Rate, toneHz, Rate, amplitude: 0.2);
        var reference = Signals.Sine(Rate, referenceHz, Rate, amplitude: 0.2);
        var input = tone.Zip(reference, (a, b) => a + b).ToArray();
        var copy = (float[])input.Clone();

        var output = ChannelEffects.Equalize(input, Rate, lowShelfHz, lowShelfDb, peakHz, peakDb, highShelfHz, highShelfDb);

        Assert.Equal(copy, input);
        Assert.Equal(input.Length, output.Length);
        Assert.InRange(Db(Power(output) / Power(input)), -0.01, 0.01);
        var middle = 4000..^4000;
        double Balance(float[] x) => Db(BandEnergy(x.AsSpan()[middle], Rate, toneHz * 0.9, toneHz * 1.1)
                                        / BandEnergy(x.AsSpan()[middle], Rate, referenceHz * 0.9, referenceHz * 1.1));
        double change = Balance(output) - Balance(input);
        Assert.True(Math.Abs(change - expectedDb) < 1, $"the {toneHz} Hz tone moved by {change:F2} dB against the {referenceHz} Hz one, not {expectedDb}");
    }

    [Fact]
    public void Equalize_FlatOrAboveNyquist_IsTheIdentity_AndBadSettingsAreRefused()
    {
        var input = Signals.Sine(Rate, 440, Rate, amplitude: 0.3);

        var flat = ChannelEffects.Equalize(input, Rate, 200, 0, 1000, 0, 3000, 0);
        var aboveNyquist = ChannelEffects.Equalize(input, 8000, 200, 0, 1000, 0, 5000, -12);

        Assert.True(input.Zip(flat).Max(p => Math.Abs(p.First - p.Second)) < 1e-6);
        Assert.True(input.Zip(aboveNyquist).Max(p => Math.Abs(p.First - p.Second)) < 1e-6);
        Assert.Equal("lowShelfHz", Assert.Throws<ArgumentOutOfRangeException>(() => ChannelEffects.Equalize(input, Rate, 0, 3, 1000, 0, 3000, 0)).ParamName);
        Assert.Equal("peakDb", Assert.Throws<ArgumentOutOfRangeException>(() => ChannelEffects.Equalize(input, Rate, 200, 0, 1000, double.NaN, 3000, 0)).ParamName);
        Assert.Equal("highShelfDb", Assert.Throws<ArgumentOutOfRangeException>(() => ChannelEffects.Equalize(input, Rate, 200, 0, 1000, 0, 3000, 60)).ParamName);
    }

    [Fact]
    public void GainAndOffset_ScalesShiftsAndClips()
    {
        float[] input = [0.1f, -0.2f, 0.9f, -0.9f];

        var output = ChannelEffects.GainAndOffset(input, 20 * Math.Log10(2), 0.01);

        Assert.Equal(0.21f, output[0], 5);
        Assert.Equal(-0.39f, output[1], 5);
        Assert.Equal(1f, output[2]);
        Assert.Equal(-1f, output[3]);
        Assert.Equal([0.1f, -0.2f, 0.9f, -0.9f], input);
    }

    [Fact]
    public void MuLaw_RoundTripsItsCodesAndKeepsZero()
    {
        // Every code survives decode and encode, except 0x7F ("negative zero"), which encodes back as 0xFF.
        for (int code = 0; code < 256; code++)
        {
            if (code != 0x7F)
                Assert.Equal((byte)code, MuLaw.Encode(MuLaw.Decode((byte)code)));
        }
        Assert.Equal(0, MuLaw.Decode(MuLaw.Encode(0)));
        Assert.Equal(0f, MuLaw.RoundTrip(0f));
        Assert.True(Math.Abs(MuLaw.RoundTrip(0.5f) - 0.5f) < 0.02);
    }

    private static float[] Difference(float[] a, float[] b)
    {
        var d = new float[a.Length];
        for (int i = 0; i < a.Length; i++)
            d[i] = a[i] - b[i];
        return d;
    }
}
