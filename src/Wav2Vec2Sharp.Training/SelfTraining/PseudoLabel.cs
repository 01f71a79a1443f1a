namespace Wav2Vec2Sharp.SelfTraining;

/// <summary>A transcript that a fine-tuned model gave an unlabelled clip, to train another model on.</summary>
/// <param name="AudioPath">The clip (absolute path).</param>
/// <param name="Text">The decoder's transcript (never empty).</param>
/// <param name="DurationSeconds">The clip's duration at 16 kHz.</param>
/// <param name="Confidence">
/// The geometric mean, over the frames of every emitted token, of the model's posterior for that token
/// (<see cref="PseudoLabeller.Confidence"/>): in (0, 1], 1 when the model is certain of every emitted frame.
/// </param>
public sealed record PseudoLabel(string AudioPath, string Text, double DurationSeconds, double Confidence);
