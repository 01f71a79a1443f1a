namespace Wav2Vec2Sharp.Training;

/// <summary>A learning rate as a function of the number of updates done so far.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for the update that follows <paramref name="updates"/> completed updates.</summary>
    double At(long updates);
}

/// <summary>
/// fairseq <c>polynomial_decay</c> (the wav2vec 2.0 pretraining schedule): linear warmup from 0 to <see cref="PeakLr"/>
/// over <see cref="WarmupUpdates"/>, then (1 − progress)^<see cref="Power"/> decay to <see cref="EndLr"/> at
/// <see cref="TotalUpdates"/>, constant afterwards.
/// </summary>
public sealed record PolynomialDecaySchedule(double PeakLr, long WarmupUpdates, long TotalUpdates, double EndLr = 0, double Power = 1) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public double At(long updates)
    {
        if (WarmupUpdates > 0 && updates < WarmupUpdates)
            return PeakLr * (updates + 1) / WarmupUpdates;
        if (updates >= TotalUpdates)
            return EndLr;
        double remaining = 1 - (double)(updates - WarmupUpdates) / Math.Max(1, TotalUpdates - WarmupUpdates);
        return EndLr + (PeakLr - EndLr) * Math.Pow(remaining, Power);
    }
}

/// <summary>
/// fairseq <c>tri_stage</c> (the fine-tuning schedule): linear warmup from <c>InitScale·PeakLr</c> over the first
/// phase, hold, then exponential decay to <c>FinalScale·PeakLr</c>, constant afterwards. Phases are fractions of
/// <see cref="TotalUpdates"/> (0.1, 0.4, 0.5 in the published recipes).
/// </summary>
public sealed record TriStageSchedule(double PeakLr, long TotalUpdates, double WarmupFraction = 0.1, double HoldFraction = 0.4,
    double DecayFraction = 0.5, double InitScale = 0.01, double FinalScale = 0.05) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public double At(long updates)
    {
        long warmup = (long)(WarmupFraction * TotalUpdates), hold = (long)(HoldFraction * TotalUpdates), decay = (long)(DecayFraction * TotalUpdates);
        if (updates < warmup)
            return PeakLr * (InitScale + (1 - InitScale) * updates / warmup);
        if (updates < warmup + hold)
            return PeakLr;
        if (updates < warmup + hold + decay)
            return PeakLr * Math.Exp(Math.Log(FinalScale) * (updates - warmup - hold) / decay);
        return PeakLr * FinalScale;
    }
}

/// <summary>The Gumbel-softmax temperature of the quantizer: max(Max · Decay^updates, Min) (fairseq <c>latent_temp</c>).</summary>
public sealed record GumbelTemperatureSchedule(double Max = 2.0, double Min = 0.5, double Decay = 0.999995)
{
    /// <summary>The temperature after <paramref name="updates"/> updates.</summary>
    public double At(long updates) => Math.Max(Max * Math.Pow(Decay, updates), Min);
}
