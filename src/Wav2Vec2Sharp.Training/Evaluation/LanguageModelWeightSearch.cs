using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Evaluation;

/// <summary>One setting of the LM weight search and its scores.</summary>
/// <param name="Alpha">LM weight α.</param>
/// <param name="Beta">Word bonus β.</param>
/// <param name="Wer">Word error rate with this setting.</param>
/// <param name="Cer">Character error rate with this setting.</param>
public sealed record LanguageModelWeights(double Alpha, double Beta, double Wer, double Cer);

/// <summary>
/// Grid search of beam-search decoding's LM weight α and word bonus β on precomputed logits (the model runs once), as
/// one tunes them on a dev set before decoding a test set.
/// </summary>
public static class LanguageModelWeightSearch
{
    /// <summary>Scores every (α, β) pair on <paramref name="utterances"/>, in the order given (α outer).</summary>
    /// <param name="utterances">Logits and references (<see cref="ModelEvaluation.ComputeLogits"/>).</param>
    /// <param name="vocabulary">The model's vocabulary.</param>
    /// <param name="languageModel">The n-gram LM.</param>
    /// <param name="normalizer">Text normalisation of references and transcripts.</param>
    /// <param name="alphas">LM weights to try.</param>
    /// <param name="betas">Word bonuses to try.</param>
    /// <param name="options">Beam settings (width, pruning, LM unit); α and β are replaced by the grid's.</param>
    /// <param name="scored">Told about each setting as soon as it is scored.</param>
    public static List<LanguageModelWeights> Search(IReadOnlyList<UtteranceLogits> utterances, Vocabulary vocabulary, NGramLanguageModel languageModel,
        TextNormalizer normalizer, IEnumerable<double> alphas, IEnumerable<double> betas, BeamSearchOptions options, Action<LanguageModelWeights>? scored = null)
    {
        var betaValues = betas.ToArray();
        var grid = new List<LanguageModelWeights>();
        foreach (var alpha in alphas)
        {
            foreach (var beta in betaValues)
            {
                var decoder = new BeamSearchCtcDecoder(vocabulary, languageModel, options with { Alpha = alpha, Beta = beta });
                var report = ModelEvaluation.Score(utterances, decoder, normalizer);
                var point = new LanguageModelWeights(alpha, beta, report.WordErrorRate, report.CharacterErrorRate);
                grid.Add(point);
                scored?.Invoke(point);
            }
        }
        return grid;
    }

    /// <summary>The setting with the lowest WER (ties: lowest CER, then the first tried).</summary>
    public static LanguageModelWeights Best(IEnumerable<LanguageModelWeights> grid) =>
        grid.OrderBy(g => g.Wer).ThenBy(g => g.Cer).First();
}
