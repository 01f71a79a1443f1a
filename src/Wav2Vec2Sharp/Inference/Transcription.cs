namespace Wav2Vec2Sharp.Inference;

/// <summary>The transcript of one clip, with the frame logits it was decoded from.</summary>
/// <param name="Text">Greedy CTC transcript.</param>
/// <param name="Logits">Frame logits, row-major <c>[Frames, VocabSize]</c>.</param>
/// <param name="Frames">Output frames (one per 20 ms).</param>
/// <param name="VocabSize">Columns of <see cref="Logits"/>.</param>
/// <param name="AudioSeconds">Duration of the input at 16 kHz.</param>
public sealed record Transcription(string Text, float[] Logits, int Frames, int VocabSize, double AudioSeconds);
