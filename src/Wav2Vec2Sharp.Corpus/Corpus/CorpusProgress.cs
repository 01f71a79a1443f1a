namespace Wav2Vec2Sharp.Corpus;

/// <summary>How far the synthesis of one split has got; reported after each batch of utterances and on each failure.</summary>
/// <param name="Split">The split being made.</param>
/// <param name="Utterances">Utterances accepted into the split so far.</param>
/// <param name="Seconds">Their total duration.</param>
/// <param name="TargetSeconds">The duration the split is to reach.</param>
/// <param name="Synthesized">Utterances synthesised by an engine so far in this split.</param>
/// <param name="Reused">Utterances found already made (a previous run's file, or copied from a larger labelled set).</param>
/// <param name="Failed">Utterances skipped because the engine failed.</param>
/// <param name="Failure">The failure being reported, or <see langword="null"/> for a plain progress report.</param>
public sealed record CorpusProgress(string Split, int Utterances, double Seconds, double TargetSeconds, int Synthesized, int Reused, int Failed, SynthesisFailure? Failure = null);
