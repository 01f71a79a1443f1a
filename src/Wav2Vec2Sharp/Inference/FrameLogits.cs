namespace Wav2Vec2Sharp.Inference;

/// <summary>Row-major CTC logits of one clip: <paramref name="Values"/> holds <paramref name="Frames"/> × <paramref name="VocabSize"/> scores.</summary>
/// <param name="Values">The scores <c>[Frames, VocabSize]</c>, row-major: frame <c>t</c>, symbol <c>v</c> at <c>t · VocabSize + v</c>.</param>
/// <param name="Frames">Output frames (one per hop of the input).</param>
/// <param name="VocabSize">Scores per frame (the model's vocabulary size).</param>
public sealed record FrameLogits(float[] Values, int Frames, int VocabSize);
