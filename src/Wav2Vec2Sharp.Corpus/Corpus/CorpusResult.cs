namespace Wav2Vec2Sharp.Corpus;

/// <summary>What <see cref="CorpusSynthesizer.Synthesize"/> made.</summary>
/// <param name="OutputDirectory">The corpus folder, absolute.</param>
/// <param name="ReportPath">The <c>corpus.json</c> description of the corpus.</param>
/// <param name="Splits">The splits, in the order unlabelled, labelled sets, dev, test_seen, test_unseen, channel test sets (those asked for).</param>
/// <param name="Failures">The utterances skipped because an engine failed.</param>
/// <param name="Speakers">The speakers and the unseen voices.</param>
/// <param name="Elapsed">How long the run took.</param>
/// <param name="SynthesizedSeconds">Seconds of audio synthesised by engines in this run (not reused or copied).</param>
public sealed record CorpusResult(string OutputDirectory, string ReportPath, IReadOnlyList<CorpusSplitSummary> Splits,
    IReadOnlyList<SynthesisFailure> Failures, SpeakerCatalog Speakers, TimeSpan Elapsed, double SynthesizedSeconds)
{
    /// <summary>The total duration of all splits (nested labelled sets counted separately).</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(Splits.Sum(s => s.Duration.Ticks));

    /// <summary>Seconds of audio synthesised per second of wall time in this run (0 when nothing was synthesised).</summary>
    public double SynthesisSpeed => Elapsed.TotalSeconds > 0 ? SynthesizedSeconds / Elapsed.TotalSeconds : 0;
}
