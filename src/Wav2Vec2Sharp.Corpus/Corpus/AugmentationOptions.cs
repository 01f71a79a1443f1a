namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// Random changes made to each synthesised utterance: a speed change (tempo and pitch together, as Kaldi's speed
/// perturbation), a gain and white noise at a signal-to-noise ratio. Each utterance's values are drawn from a generator
/// seeded by the corpus seed, its sentence and its speaker, so they are the same on every run.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>The defaults: speed 0.95–1.05, gain −6 to +6 dB, noise at 15–40 dB SNR, training splits only.</summary>
    public static AugmentationOptions Default { get; } = new();

    /// <summary>The slowest speed factor (rounded to 0.01); 0.95 by default. Both speeds 1 turn the speed change off.</summary>
    public double MinSpeed { get; init; } = 0.95;

    /// <summary>The fastest speed factor (rounded to 0.01); 1.05 by default.</summary>
    public double MaxSpeed { get; init; } = 1.05;

    /// <summary>The lowest gain in dB; −6 by default. Both gains 0 turn the gain change off.</summary>
    public double MinGainDb { get; init; } = -6;

    /// <summary>The highest gain in dB; +6 by default.</summary>
    public double MaxGainDb { get; init; } = 6;

    /// <summary>Whether white noise is added; <see langword="true"/> by default.</summary>
    public bool AddNoise { get; init; } = true;

    /// <summary>The lowest signal-to-noise ratio in dB (the noisiest utterance); 15 by default.</summary>
    public double MinSnrDb { get; init; } = 15;

    /// <summary>The highest signal-to-noise ratio in dB; 40 by default.</summary>
    public double MaxSnrDb { get; init; } = 40;

    /// <summary>
    /// Whether <c>dev</c> and the test splits are augmented too; <see langword="false"/> by default, so that they are
    /// clean and only <c>unlabelled</c> and the labelled training sets are augmented.
    /// </summary>
    public bool AugmentEvaluation { get; init; }

    /// <summary>Checks the ranges.</summary>
    /// <exception cref="CorpusException">A minimum exceeds its maximum, or the speeds are outside 0.5–2.</exception>
    internal void Validate()
    {
        if (!(MinSpeed >= 0.5 && MaxSpeed <= 2 && MinSpeed <= MaxSpeed))
            throw new CorpusException($"The augmentation speeds must satisfy 0.5 <= MinSpeed <= MaxSpeed <= 2 (they are {MinSpeed} and {MaxSpeed}).");
        if (!(MinGainDb <= MaxGainDb) || Math.Abs(MinGainDb) > 60 || Math.Abs(MaxGainDb) > 60)
            throw new CorpusException($"The augmentation gains must satisfy -60 <= MinGainDb <= MaxGainDb <= 60 (they are {MinGainDb} and {MaxGainDb}).");
        if (AddNoise && !(MinSnrDb <= MaxSnrDb && double.IsFinite(MinSnrDb) && double.IsFinite(MaxSnrDb)))
            throw new CorpusException($"The augmentation SNRs must be finite with MinSnrDb <= MaxSnrDb (they are {MinSnrDb} and {MaxSnrDb}).");
    }
}
