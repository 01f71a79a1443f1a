using System.Globalization;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Randomness;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>The augmentation of one utterance: its drawn speed, gain and SNR (see <see cref="AugmentationOptions"/>).</summary>
/// <param name="Speed">The speed factor (1 = unchanged), a multiple of 0.01.</param>
/// <param name="GainDb">The gain in dB, a multiple of 0.1.</param>
/// <param name="SnrDb">The signal-to-noise ratio of the added white noise in dB (a multiple of 0.1), or <see langword="null"/> for none.</param>
/// <param name="NoiseSeed">The seed of the noise.</param>
internal sealed record Augmentation(double Speed, double GainDb, double? SnrDb, long NoiseSeed)
{
    /// <summary>The text that identifies these settings in a cache key, e.g. <c>speed=0.97;gain=-2.3;snr=21.4</c>.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"speed={Speed:0.00};gain={GainDb:0.0};snr={(SnrDb is { } snr ? snr.ToString("0.0", CultureInfo.InvariantCulture) : "none")};noise={NoiseSeed}");

    /// <summary>Draws the augmentation of the utterance of <paramref name="sentence"/> by <paramref name="speakerId"/>.</summary>
    public static Augmentation Draw(AugmentationOptions options, int seed, string sentence, string speakerId)
    {
        var rng = SplitMix64.FromKeys(seed, 0xA06, StableHash.Of(sentence), StableHash.Of(speakerId));
        double speed = Math.Round(Uniform(ref rng, options.MinSpeed, options.MaxSpeed), 2);
        double gain = Math.Round(Uniform(ref rng, options.MinGainDb, options.MaxGainDb), 1);
        double snr = Math.Round(Uniform(ref rng, options.MinSnrDb, options.MaxSnrDb), 1);
        long noiseSeed = (long)(rng.NextUInt64() >> 1);
        return new Augmentation(speed, gain, options.AddNoise ? snr : null, noiseSeed);
    }

    /// <summary>Applies the speed change, then the gain, then the noise, to 16 kHz <paramref name="samples"/>.</summary>
    public float[] Apply(float[] samples)
    {
        const int rate = AudioFile.DefaultSampleRate;
        var output = samples;
        if (Speed != 1.0)
        {
            // Played at rate·speed and resampled back to rate: tempo and pitch scale by speed together.
            int from = (int)Math.Round(rate * Speed);
            output = Resampler.Resample(output, from, rate);
        }
        else
        {
            output = (float[])output.Clone();
        }
        if (GainDb != 0)
        {
            float gain = (float)Math.Pow(10, GainDb / 20);
            for (int i = 0; i < output.Length; i++)
                output[i] *= gain;
        }
        if (SnrDb is { } snr && output.Length > 0)
        {
            double power = ChannelEffects.MeanPower(output);
            double sigma = Math.Sqrt(power / Math.Pow(10, snr / 10));
            var rng = new SplitMix64((ulong)NoiseSeed);
            for (int i = 0; i < output.Length; i++)
                output[i] += (float)(sigma * Gaussian(ref rng));
        }
        return output;
    }

    private static double Uniform(ref SplitMix64 rng, double min, double max) => min + (max - min) * UnitInterval(ref rng);

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    private static double UnitInterval(ref SplitMix64 rng) => (rng.NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal value (Box–Muller, one of the pair).</summary>
    private static double Gaussian(ref SplitMix64 rng)
    {
        double u1 = 1.0 - UnitInterval(ref rng); // (0, 1]
        double u2 = UnitInterval(ref rng);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
