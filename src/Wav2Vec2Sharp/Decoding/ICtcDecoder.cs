namespace Wav2Vec2Sharp.Decoding;

/// <summary>One emitted token of a CTC path: a run of identical non-blank frames collapsed to one symbol.</summary>
/// <param name="Id">Vocabulary id (never the blank).</param>
/// <param name="StartFrame">First frame of the run (frames are 20 ms for the standard CNN).</param>
/// <param name="EndFrame">Last frame of the run (inclusive).</param>
public readonly record struct CtcToken(int Id, int StartFrame, int EndFrame);

/// <summary>One decoding result.</summary>
/// <param name="Text">The transcript (word delimiter printed as a space).</param>
/// <param name="Tokens">The emitted tokens with their frames, in order; word delimiters included.</param>
/// <param name="Score">The decoder's total score (log domain, higher is better): acoustic log-probability plus,
/// for language-model decoding, α · LM log-probability + β · words.</param>
public sealed record CtcHypothesis(string Text, IReadOnlyList<CtcToken> Tokens, double Score);

/// <summary>Turns CTC frame logits into text: greedy best path, or beam search with a language model.</summary>
public interface ICtcDecoder
{
    /// <summary>The vocabulary ids are read against.</summary>
    Vocabulary Vocabulary { get; }

    /// <summary>
    /// The best hypotheses, best first (at most <paramref name="count"/>; greedy decoding returns one), for logits
    /// <c>[frames, vocab]</c> (row-major, unnormalised; the decoder applies log-softmax where it needs probabilities).
    /// </summary>
    IReadOnlyList<CtcHypothesis> Decode(ReadOnlySpan<float> logits, int frames, int count = 1);
}
