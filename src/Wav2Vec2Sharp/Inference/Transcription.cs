using Wav2Vec2Sharp.Decoding;

namespace Wav2Vec2Sharp.Inference;

/// <summary>The transcript of one clip, with the frame logits it was decoded from.</summary>
/// <param name="Text">The decoder's transcript.</param>
/// <param name="Logits">Frame logits, row-major <c>[Frames, VocabSize]</c> (stitched from the kept frames of each window when chunked).</param>
/// <param name="Frames">Output frames (one per 20 ms).</param>
/// <param name="VocabSize">Columns of <see cref="Logits"/>.</param>
/// <param name="AudioSeconds">Duration of the input at 16 kHz.</param>
/// <param name="Hypothesis">The best hypothesis, with the frames of each token (for timestamps).</param>
/// <param name="SecondsPerFrame">Duration of one output frame: hop / sampling rate (0.02 s).</param>
public sealed record Transcription(string Text, float[] Logits, int Frames, int VocabSize, double AudioSeconds,
    CtcHypothesis Hypothesis, double SecondsPerFrame);
