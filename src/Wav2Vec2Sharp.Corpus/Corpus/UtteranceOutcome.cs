namespace Wav2Vec2Sharp.Corpus;

/// <summary>How an utterance's file came to be.</summary>
internal enum OutcomeKind
{
    Synthesized,
    Reused,
    Copied,
    Failed,
}

/// <summary>The result of making one utterance.</summary>
/// <param name="Utterance">The utterance.</param>
/// <param name="Kind">How its file came to be, or that it failed.</param>
/// <param name="Path">The WAV file (absent when failed).</param>
/// <param name="Samples">Its length at 16 kHz (0 when failed).</param>
/// <param name="Error">Why it failed, or <see langword="null"/>.</param>
internal sealed record UtteranceOutcome(Utterance Utterance, OutcomeKind Kind, string Path, int Samples, string? Error);
