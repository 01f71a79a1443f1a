namespace Wav2Vec2Sharp.Evaluation;

/// <summary>A labelled utterance's model output, kept so that several decoders can be scored without rerunning the model.</summary>
/// <param name="AudioPath">The utterance's audio file.</param>
/// <param name="Reference">Its transcript.</param>
/// <param name="Logits">Frame logits, row-major <c>[Frames, vocab]</c>.</param>
/// <param name="Frames">Output frames.</param>
/// <param name="AudioSeconds">Duration of the audio.</param>
public sealed record UtteranceLogits(string AudioPath, string Reference, float[] Logits, int Frames, double AudioSeconds);
