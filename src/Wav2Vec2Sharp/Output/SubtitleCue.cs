namespace Wav2Vec2Sharp.Output;

/// <summary>One subtitle cue.</summary>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Lines">The text, already wrapped.</param>
public sealed record SubtitleCue(double Start, double End, IReadOnlyList<string> Lines);
