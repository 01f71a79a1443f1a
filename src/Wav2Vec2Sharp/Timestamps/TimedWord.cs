namespace Wav2Vec2Sharp.Timestamps;

/// <summary>One word of a transcript with its time span.</summary>
/// <param name="Text">The word.</param>
/// <param name="Start">Start in seconds (its first token's first frame).</param>
/// <param name="End">End in seconds (its last token's last frame + 1).</param>
/// <param name="Confidence">Mean, over all frames of all its tokens, of the softmax probability of the token, in [0, 1].</param>
/// <param name="Characters">Its tokens, in order.</param>
public sealed record TimedWord(string Text, double Start, double End, double Confidence, IReadOnlyList<TimedToken> Characters);
