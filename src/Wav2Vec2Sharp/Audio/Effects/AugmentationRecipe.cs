using System.Globalization;
using Wav2Vec2Sharp.Randomness;

namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>
/// Which channel effects to apply to training utterances on the fly (the <c>--augment</c> of training), parsed from
/// a comma-separated list such as <c>"speed,telephone,reverb,noise,babble,gain"</c>, <c>"default"</c> (all of them)
/// or <c>"none"</c>. Each named effect is applied to an utterance with probability 0.5, independently, in the order
/// speed, reverb, telephone, noise or babble, gain:
/// <list type="bullet">
/// <item><description><c>speed</c>: <see cref="ChannelEffects.Speed"/> with 0.9, 1.0 or 1.1, uniformly (as in Kaldi recipes);</description></item>
/// <item><description><c>reverb</c>: <see cref="ChannelEffects.Reverberate"/>, RT60 uniform in 0.2–0.8 s, D/R uniform in 0–10 dB;</description></item>
/// <item><description><c>telephone</c>: <see cref="ChannelEffects.Telephone"/> with µ-law;</description></item>
/// <item><description><c>noise</c>: <see cref="ChannelEffects.AddNoise"/>, colour uniform, SNR uniform in 5–30 dB;</description></item>
/// <item><description><c>babble</c>: <see cref="ChannelEffects.AddBabble"/> from the babble pool, SNR uniform in 5–20 dB
/// (skipped without a pool). When noise and babble both fire, one of the two is kept, with equal odds, so that an
/// utterance gets at most one additive interference;</description></item>
/// <item><description><c>gain</c>: <see cref="ChannelEffects.GainAndOffset"/>, gain uniform in −10..+6 dB, DC offset uniform in ±0.01.</description></item>
/// </list>
/// </summary>
/// <remarks>
/// <see cref="Apply"/> draws everything from one <see cref="Random"/> seeded with
/// <c>unchecked((int)(m ^ (m &gt;&gt; 32)))</c>, where <c>m</c> is the SplitMix64 finaliser of the seed (so that
/// neighbouring seeds give unrelated streams); the draws are made in a fixed order, so an utterance's augmentation
/// depends only on the recipe, the seed, its samples and the babble pool.
/// </remarks>
public sealed record AugmentationRecipe
{
    /// <summary>The probability with which each named effect is applied to an utterance.</summary>
    private const double Probability = 0.5;

    private static readonly string[] Names = ["speed", "reverb", "telephone", "noise", "babble", "gain"];

    private readonly EffectSet _effects;

    private AugmentationRecipe(EffectSet effects) => _effects = effects;

    [Flags]
    private enum EffectSet
    {
        None = 0,
        Speed = 1,
        Reverb = 2,
        Telephone = 4,
        Noise = 8,
        Babble = 16,
        Gain = 32,
        All = Speed | Reverb | Telephone | Noise | Babble | Gain,
    }

    /// <summary>The recipe that applies nothing.</summary>
    public static AugmentationRecipe None { get; } = new(EffectSet.None);

    /// <summary>Whether the recipe applies nothing.</summary>
    public bool IsEmpty => _effects == EffectSet.None;

    /// <summary>
    /// Parses a comma-separated list of effect names (case-insensitive, spaces allowed): <c>speed</c>, <c>reverb</c>,
    /// <c>telephone</c>, <c>noise</c>, <c>babble</c>, <c>gain</c>, or <c>default</c> (all of them), or <c>none</c>.
    /// An empty text is <see cref="None"/>; the order of the names does not matter.
    /// </summary>
    /// <param name="text">The list, e.g. <c>"speed,reverb,noise"</c>.</param>
    /// <returns>The recipe.</returns>
    /// <exception cref="ArgumentException">A name is not one of the above; the message lists the known names.</exception>
    public static AugmentationRecipe Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var effects = EffectSet.None;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string name = part.ToLowerInvariant();
            int index = Array.IndexOf(Names, name);
            if (index >= 0)
                effects |= (EffectSet)(1 << index);
            else if (name is "default" or "all")
                effects |= EffectSet.All;
            else if (name is not ("none" or ""))
                throw new ArgumentException(
                    $"Unknown augmentation '{part}'; known: {string.Join(", ", Names)}, or 'default' (all of them), or 'none'.");
        }
        return effects == EffectSet.None ? None : new AugmentationRecipe(effects);
    }

    /// <summary>
    /// The canonical text of the recipe, in the order of application, e.g.
    /// <c>"speed,reverb,telephone,noise,babble,gain (p = 0.5 each)"</c>, or <c>"none"</c>.
    /// </summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        if (IsEmpty)
            return "none";
        var names = Names.Where((_, i) => (_effects & (EffectSet)(1 << i)) != 0);
        return string.Join(",", names) + string.Create(CultureInfo.InvariantCulture, $" (p = {Probability} each)");
    }

    /// <inheritdoc cref="Describe"/>
    public override string ToString() => Describe();

    /// <summary>
    /// Applies the recipe to one utterance: each named effect fires with probability 0.5 and draws its parameters
    /// (see the type's summary); deterministic for a given <paramref name="seed"/>.
    /// </summary>
    /// <param name="samples">The utterance (mono); not modified.</param>
    /// <param name="sampleRate">Its sample rate, in Hz.</param>
    /// <param name="seed">The seed of this utterance's draws, e.g. derived from the epoch and the utterance index.</param>
    /// <param name="babblePool">Other utterances for babble, at the same rate; null or empty skips babble.</param>
    /// <returns>A new array; its length differs from the input's only when speed fires with 0.9 or 1.1.</returns>
    public float[] Apply(float[] samples, int sampleRate, ulong seed, IReadOnlyList<float[]>? babblePool = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (IsEmpty)
            return (float[])samples.Clone();

        ulong mixed = SplitMix64.Mix(seed);
        var random = new Random(unchecked((int)(mixed ^ (mixed >> 32))));
        bool Fires(EffectSet effect) => (_effects & effect) != 0 && random.NextDouble() < Probability;

        float[] result = samples;
        if (Fires(EffectSet.Speed))
        {
            double factor = random.Next(3) switch { 0 => 0.9, 1 => 1.0, _ => 1.1 };
            if (factor != 1.0)
                result = ChannelEffects.Speed(result, factor);
        }
        if (Fires(EffectSet.Reverb))
        {
            double rt60 = 0.2 + 0.6 * random.NextDouble();
            double directToReverberant = 10 * random.NextDouble();
            result = ChannelEffects.Reverberate(result, sampleRate, rt60, directToReverberant, random);
        }
        if (Fires(EffectSet.Telephone))
            result = ChannelEffects.Telephone(result, sampleRate, muLaw: true);

        bool noise = Fires(EffectSet.Noise);
        bool babble = Fires(EffectSet.Babble) && babblePool is { Count: > 0 };
        if (noise && babble)
        {
            if (random.Next(2) == 0)
                babble = false;
            else
                noise = false;
        }
        if (noise)
        {
            var color = (NoiseColor)random.Next(3);
            double snr = 5 + 25 * random.NextDouble();
            result = ChannelEffects.AddNoise(result, color, snr, random);
        }
        if (babble)
        {
            double snr = 5 + 15 * random.NextDouble();
            if (ChannelEffects.TryAddBabble(result, babblePool!, snr, random, out float[] babbled))
                result = babbled;     // otherwise the pool holds no usable utterance: no babble
        }
        if (Fires(EffectSet.Gain))
        {
            double gainDb = -10 + 16 * random.NextDouble();
            double offset = -0.01 + 0.02 * random.NextDouble();
            result = ChannelEffects.GainAndOffset(result, gainDb, offset);
        }
        return ReferenceEquals(result, samples) ? (float[])samples.Clone() : result;
    }
}
