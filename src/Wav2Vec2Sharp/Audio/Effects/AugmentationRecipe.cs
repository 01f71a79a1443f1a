using System.Globalization;
using Wav2Vec2Sharp.Randomness;

namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>
/// Which effects to apply to training utterances on the fly (the <c>--augment</c> of training), parsed from a
/// comma-separated list such as <c>"speed,telephone,reverb,noise,babble,gain"</c>, <c>"default"</c> (the six channel
/// effects), <c>"formant:0.8,pitch,speed"</c>, <c>"reverb@-5..5,noise:0.3@0..15"</c> or <c>"none"</c>. Each named effect is
/// applied to an utterance independently with its probability (written <c>name:p</c>, 0.5 when not given), in the order
/// speed, pitch, formant, eq, reverb, telephone, noise or babble, gain. Three effects also take the range of their strength
/// in dB (written <c>name@low..high</c>, after the probability if one is given): the direct-to-reverberant ratio of
/// <c>reverb</c> and the signal-to-noise ratios of <c>noise</c> and <c>babble</c>; lower is harder:
/// <list type="bullet">
/// <item><description><c>speed</c>: <see cref="ChannelEffects.Speed"/> with 0.9, 1.0 or 1.1, uniformly (as in Kaldi recipes);</description></item>
/// <item><description><c>pitch</c>: <see cref="ChannelEffects.ShiftPitch"/> by a factor log-uniform in 0.7–1.4 (another
/// speaker's pitch, the same formants and timing); not part of <c>default</c>;</description></item>
/// <item><description><c>formant</c>: <see cref="ChannelEffects.ShiftFormants"/> by a factor uniform in 0.85–1.15
/// (vocal-tract-length perturbation: another speaker's formants, the same pitch and timing); not part of <c>default</c>;</description></item>
/// <item><description><c>eq</c>: <see cref="ChannelEffects.Equalize"/> (another microphone or vocoder: the spectral
/// balance), a low shelf at 100–400 Hz of −12..+12 dB, a peaking band at 300–5000 Hz (log-uniform) of −10..+10 dB and a high
/// shelf at 2–6 kHz (log-uniform) of −15..+12 dB, all uniform unless said; not part of <c>default</c>;</description></item>
/// <item><description><c>reverb</c>: <see cref="ChannelEffects.Reverberate"/>, RT60 uniform in 0.2–0.8 s, D/R uniform in 0–10 dB (or its range);</description></item>
/// <item><description><c>telephone</c>: <see cref="ChannelEffects.Telephone"/> with µ-law;</description></item>
/// <item><description><c>noise</c>: <see cref="ChannelEffects.AddNoise"/>, colour uniform (white, pink or brown), SNR uniform in 5–30 dB (or its range);</description></item>
/// <item><description><c>babble</c>: <see cref="ChannelEffects.AddBabble"/> from the babble pool, SNR uniform in 5–20 dB
/// (or its range; skipped without a pool). When noise and babble both fire, one of the two is kept, with equal odds, so that an
/// utterance gets at most one additive interference;</description></item>
/// <item><description><c>gain</c>: <see cref="ChannelEffects.GainAndOffset"/>, gain uniform in −10..+6 dB, DC offset uniform in ±0.01.</description></item>
/// </list>
/// </summary>
/// <remarks>
/// <see cref="Apply"/> draws everything from one <see cref="Random"/> seeded with
/// <c>unchecked((int)(m ^ (m &gt;&gt; 32)))</c>, where <c>m</c> is the SplitMix64 finaliser of the seed (so that
/// neighbouring seeds give unrelated streams); the draws are made in a fixed order and only for the effects the recipe
/// names, so an utterance's augmentation depends only on the recipe, the seed, its samples and the babble pool.
/// </remarks>
public sealed record AugmentationRecipe
{
    /// <summary>The probability of an effect named without one.</summary>
    private const double DefaultProbability = 0.5;

    /// <summary>The lowest and highest formant factor of <c>formant</c>.</summary>
    private const double FormantLow = 0.85, FormantHigh = 1.15;

    /// <summary>The lowest and highest pitch factor of <c>pitch</c> (drawn log-uniformly).</summary>
    private const double PitchLow = 0.7, PitchHigh = 1.4;

    /// <summary>The effects, in the order of application.</summary>
    private static readonly string[] Names = ["speed", "pitch", "formant", "eq", "reverb", "telephone", "noise", "babble", "gain"];

    /// <summary>What <c>default</c> (or <c>all</c>) names: the channel effects.</summary>
    private static readonly string[] DefaultNames = ["speed", "reverb", "telephone", "noise", "babble", "gain"];

    private const int Speed = 0, Pitch = 1, Formant = 2, Equalizer = 3, Reverb = 4, Telephone = 5, Noise = 6, Babble = 7, Gain = 8;

    /// <summary>The bounds of every range, in dB.</summary>
    private const double LowestDb = -30, HighestDb = 100;

    /// <summary>Per effect of <see cref="Names"/>: the default range of its strength in dB, or null when it has none to set.</summary>
    private static readonly (double Low, double High)?[] DefaultRanges = [null, null, null, null, (0, 10), null, (5, 30), (5, 20), null];

    /// <summary>Per effect of <see cref="Names"/>: its probability, 0 when the recipe does not name it.</summary>
    private readonly double[] _probabilities;

    /// <summary>Per effect of <see cref="Names"/>: the range of its strength in dB (<see cref="DefaultRanges"/> unless given).</summary>
    private readonly (double Low, double High)?[] _ranges;

    private AugmentationRecipe(double[] probabilities, (double Low, double High)?[] ranges) => (_probabilities, _ranges) = (probabilities, ranges);

    /// <summary>The recipe that applies nothing.</summary>
    public static AugmentationRecipe None { get; } = new(new double[Names.Length], [.. DefaultRanges]);

    /// <summary>Whether the recipe applies nothing.</summary>
    public bool IsEmpty => _probabilities.All(p => p == 0);

    /// <summary>The names of the effects the recipe applies, in the order of application.</summary>
    public IReadOnlyList<string> Effects => [.. Names.Where((_, i) => _probabilities[i] > 0)];

    /// <summary>
    /// Parses a comma-separated list of effect names (case-insensitive, spaces allowed): <c>speed</c>, <c>pitch</c>,
    /// <c>formant</c>, <c>eq</c>, <c>reverb</c>, <c>telephone</c>, <c>noise</c>, <c>babble</c>, <c>gain</c>, each optionally
    /// followed by <c>:p</c>, its probability in (0, 1] (0.5 when not given), and <c>reverb</c>, <c>noise</c> and
    /// <c>babble</c> by <c>@low..high</c>, the range in dB of their direct-to-reverberant or signal-to-noise ratio; or
    /// <c>default</c> (the six channel effects: all but pitch, formant and eq), or <c>none</c>. An empty text is
    /// <see cref="None"/>; the order of the names does not matter; a name given twice keeps its last probability and range.
    /// </summary>
    /// <param name="text">The list, e.g. <c>"speed,reverb:0.3,noise@0..15"</c>.</param>
    /// <returns>The recipe.</returns>
    /// <exception cref="ArgumentException">A name is not one of the above (the message lists the known names), a
    /// probability is not a number in (0, 1], or a range is not two numbers in −30..100 dB with low ≤ high, or is given to
    /// an effect without one.</exception>
    public static AugmentationRecipe Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var probabilities = new double[Names.Length];
        (double Low, double High)?[] ranges = [.. DefaultRanges];
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string[] effectAndRange = part.Split('@', 2, StringSplitOptions.TrimEntries);
            string[] nameAndProbability = effectAndRange[0].Split(':', 2, StringSplitOptions.TrimEntries);
            string name = nameAndProbability[0].ToLowerInvariant();
            double probability = DefaultProbability;
            if (nameAndProbability.Length == 2
                && (!double.TryParse(nameAndProbability[1], NumberStyles.Float, CultureInfo.InvariantCulture, out probability)
                    || !(probability > 0 && probability <= 1)))
                throw new ArgumentException($"Augmentation '{part}': the probability after ':' must be a number in (0, 1].");
            int index = Array.IndexOf(Names, name);
            if (index < 0 && name is not ("default" or "all" or "none" or ""))
                throw new ArgumentException(
                    $"Unknown augmentation '{part}'; known: {string.Join(", ", Names)} (each optionally ':p', its probability), 'default' (all but pitch, formant and eq), or 'none'.");
            if (effectAndRange.Length == 2)
                ranges[RangedIndex(part, index)] = ParseRange(part, effectAndRange[1]);
            if (index >= 0)
                probabilities[index] = probability;
            else if (name is "default" or "all")
                foreach (string channel in DefaultNames)
                    probabilities[Array.IndexOf(Names, channel)] = probability;
        }
        return probabilities.All(p => p == 0) ? None : new AugmentationRecipe(probabilities, ranges);
    }

    /// <summary>The index of a ranged effect, or an error naming the part when <paramref name="index"/> has no range.</summary>
    private static int RangedIndex(string part, int index) =>
        index >= 0 && DefaultRanges[index] is not null
            ? index
            : throw new ArgumentException($"Augmentation '{part}': only reverb, noise and babble take a range ('@low..high', in dB).");

    /// <summary>Parses <c>low..high</c> (dB), e.g. <c>0..15</c> or <c>-5..5</c>.</summary>
    private static (double Low, double High) ParseRange(string part, string range)
    {
        string[] bounds = range.Split("..", 2, StringSplitOptions.TrimEntries);
        if (bounds.Length == 2
            && double.TryParse(bounds[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
            && double.TryParse(bounds[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double high)
            && low >= LowestDb && high <= HighestDb && low <= high)
            return (low, high);
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"Augmentation '{part}': the range after '@' must be 'low..high' in dB, two numbers from {LowestDb} to {HighestDb} with low <= high (written after the probability, as noise:0.5@0..15)."));
    }

    /// <summary>A value uniform in the effect's range.</summary>
    private double Draw(int effect, Random random)
    {
        var (low, high) = _ranges[effect]!.Value;
        return low + (high - low) * random.NextDouble();
    }

    /// <summary>
    /// The canonical text of the recipe, in the order of application, which <see cref="Parse"/> reads back up to the
    /// parenthesis: e.g. <c>"speed,reverb,telephone,noise,babble,gain (p = 0.5 each)"</c>,
    /// <c>"speed,formant:0.8 (p = 0.5 unless given)"</c>, or <c>"none"</c>.
    /// </summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        if (IsEmpty)
            return "none";
        bool allDefault = _probabilities.All(p => p is 0 or DefaultProbability);
        var items = Names.Select((name, i) => _probabilities[i] switch
        {
            0 => null,
            DefaultProbability => name + RangeSuffix(i),
            double p => string.Create(CultureInfo.InvariantCulture, $"{name}:{p}") + RangeSuffix(i),
        }).OfType<string>();
        string suffix = allDefault ? " each)" : " unless given)";
        return string.Join(",", items) + string.Create(CultureInfo.InvariantCulture, $" (p = {DefaultProbability}") + suffix;
    }

    /// <summary><c>@low..high</c> when the effect's range is not its default, else empty.</summary>
    private string RangeSuffix(int effect) =>
        _ranges[effect] is { } range && range != DefaultRanges[effect]
            ? string.Create(CultureInfo.InvariantCulture, $"@{range.Low}..{range.High}")
            : "";

    /// <inheritdoc cref="Describe"/>
    public override string ToString() => Describe();

    /// <summary>Two recipes are equal when they name the same effects with the same probabilities and ranges.</summary>
    /// <param name="other">The other recipe.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(AugmentationRecipe? other) =>
        other is not null && _probabilities.AsSpan().SequenceEqual(other._probabilities)
        && Enumerable.Range(0, Names.Length).All(i => _probabilities[i] == 0 || _ranges[i] == other._ranges[i]);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (int i = 0; i < Names.Length; i++)
        {
            hash.Add(_probabilities[i]);
            if (_probabilities[i] > 0)
                hash.Add(_ranges[i]);
        }
        return hash.ToHashCode();
    }

    /// <summary>
    /// Applies the recipe to one utterance: each named effect fires with its probability and draws its parameters
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
        bool Fires(int effect) => _probabilities[effect] > 0 && random.NextDouble() < _probabilities[effect];

        float[] result = samples;
        if (Fires(Speed))
        {
            double factor = random.Next(3) switch { 0 => 0.9, 1 => 1.0, _ => 1.1 };
            if (factor != 1.0)
                result = ChannelEffects.Speed(result, factor);
        }
        if (Fires(Pitch))
            result = ChannelEffects.ShiftPitch(result, sampleRate, PitchLow * Math.Pow(PitchHigh / PitchLow, random.NextDouble()));
        if (Fires(Formant))
            result = ChannelEffects.ShiftFormants(result, sampleRate, FormantLow + (FormantHigh - FormantLow) * random.NextDouble());
        if (Fires(Equalizer))
        {
            double lowShelfHz = 100 + 300 * random.NextDouble(), lowShelfDb = -12 + 24 * random.NextDouble();
            double peakHz = 300 * Math.Pow(5000 / 300.0, random.NextDouble()), peakDb = -10 + 20 * random.NextDouble();
            double highShelfHz = 2000 * Math.Pow(3, random.NextDouble()), highShelfDb = -15 + 27 * random.NextDouble();
            result = ChannelEffects.Equalize(result, sampleRate, lowShelfHz, lowShelfDb, peakHz, peakDb, highShelfHz, highShelfDb);
        }
        if (Fires(Reverb))
        {
            double rt60 = 0.2 + 0.6 * random.NextDouble();
            double directToReverberant = Draw(Reverb, random);
            result = ChannelEffects.Reverberate(result, sampleRate, rt60, directToReverberant, random);
        }
        if (Fires(Telephone))
            result = ChannelEffects.Telephone(result, sampleRate, muLaw: true);

        bool noise = Fires(Noise);
        bool babble = Fires(Babble) && babblePool is { Count: > 0 };
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
            double snr = Draw(Noise, random);
            result = ChannelEffects.AddNoise(result, color, snr, random);
        }
        if (babble)
        {
            double snr = Draw(Babble, random);
            if (ChannelEffects.TryAddBabble(result, babblePool!, snr, random, out float[] babbled))
                result = babbled;     // otherwise the pool holds no usable utterance: no babble
        }
        if (Fires(Gain))
        {
            double gainDb = -10 + 16 * random.NextDouble();
            double offset = -0.01 + 0.02 * random.NextDouble();
            result = ChannelEffects.GainAndOffset(result, gainDb, offset);
        }
        return ReferenceEquals(result, samples) ? (float[])samples.Clone() : result;
    }
}
