namespace Wav2Vec2Sharp.Training;

/// <summary>The checks that <see cref="PretrainingOptions.Validate"/> and <see cref="FineTuningOptions.Validate"/> share.</summary>
internal static class ScheduleValidation
{
    /// <summary>
    /// Refuses a schedule the trainers cannot run: an interval of saving, validating or logging below one update (the
    /// trainers take the update count modulo each), a negative warm-up, a negative or non-finite clipping norm, Adam
    /// settings outside their domain, a negative weight decay, or fewer than one checkpoint kept. <paramref name="saveEveryName"/> names the save
    /// interval in the message (<c>w2v pretrain</c> has an option for it, <c>w2v finetune</c> does not).
    /// </summary>
    public static void Check(long saveEvery, string saveEveryName, long validateEvery, int logEvery, long warmup, double clipNorm,
        double beta1, double beta2, double epsilon, double weightDecay, int keepLast)
    {
        if (keepLast < 1)
            throw new ArgumentException($"--keep-last must be at least 1 checkpoint, not {keepLast}.");
        if (saveEvery < 1 || validateEvery < 1 || logEvery < 1)
            throw new ArgumentException($"{saveEveryName}, --validate-every and the log interval must be at least 1 update, not {saveEvery}, {validateEvery} and {logEvery}.");
        if (warmup < 0)
            throw new ArgumentException($"--warmup cannot be negative, not {warmup}.");
        if (clipNorm < 0 || !double.IsFinite(clipNorm))
            throw new ArgumentException($"--clip-norm must be 0 (off) or a positive number, not {clipNorm}.");
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1 || double.IsNaN(beta1) || double.IsNaN(beta2) || !(epsilon > 0))
            throw new ArgumentException($"Adam needs betas in [0, 1) and epsilon above 0, not {beta1}, {beta2} and {epsilon}.");
        if (weightDecay < 0 || !double.IsFinite(weightDecay))
            throw new ArgumentException($"the weight decay must be 0 or positive, not {weightDecay}.");
    }
}
