namespace Wav2Vec2Sharp.Evaluation;

/// <summary>The word and character error counts of a set of utterances, with the corpus rates they give.</summary>
/// <param name="Utterances">How many utterances were scored.</param>
/// <param name="Words">Word counts summed over the utterances.</param>
/// <param name="Characters">Character counts (spaces between words included) summed over the utterances.</param>
public sealed record CorpusErrorRates(int Utterances, ErrorCounts Words, ErrorCounts Characters)
{
    /// <summary>Corpus word error rate: total word errors over total reference words.</summary>
    public double Wer => Words.Rate;

    /// <summary>Corpus character error rate: total character errors over total reference characters.</summary>
    public double Cer => Characters.Rate;
}
