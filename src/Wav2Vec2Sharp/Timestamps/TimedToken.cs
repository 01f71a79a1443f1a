namespace Wav2Vec2Sharp.Timestamps;

/// <summary>One character (token) of a transcript with its time span.</summary>
/// <param name="Text">The token as printed.</param>
/// <param name="Start">Start in seconds: first frame × seconds per frame.</param>
/// <param name="End">End in seconds: (last frame + 1) × seconds per frame.</param>
/// <param name="Confidence">Mean softmax probability of the token over its frames, in [0, 1].</param>
/// <param name="StartFrame">First output frame of the token.</param>
/// <param name="EndFrame">Last output frame of the token (inclusive).</param>
public sealed record TimedToken(string Text, double Start, double End, double Confidence, int StartFrame, int EndFrame);
