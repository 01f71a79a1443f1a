namespace Wav2Vec2Sharp.Evaluation;

/// <summary>The scoring of one utterance.</summary>
/// <param name="Id">The caller's name for the utterance (e.g. the audio path).</param>
/// <param name="Reference">The reference text, as compared (after normalisation, if any).</param>
/// <param name="Hypothesis">The hypothesis text, as compared.</param>
/// <param name="Words">The word alignment.</param>
/// <param name="Characters">The character alignment (spaces between words included).</param>
public sealed record UtteranceResult(string Id, string Reference, string Hypothesis, Alignment Words, Alignment Characters)
{
    /// <summary>The utterance's word error rate (<see cref="double.NaN"/> for an empty reference with a non-empty hypothesis).</summary>
    public double WordErrorRate => Words.Rate;

    /// <summary>The utterance's character error rate.</summary>
    public double CharacterErrorRate => Characters.Rate;
}
