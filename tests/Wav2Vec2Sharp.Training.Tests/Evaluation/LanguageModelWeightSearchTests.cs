using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.Tests.Decoding;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Evaluation;

public sealed class LanguageModelWeightSearchTests
{
    private static readonly Vocabulary Letters = new(["<pad>", "<s>", "</s>", "<unk>", "|", "E", "H", "L", "O", "W", "R", "D", "T", "C", "K", "A", "S", "N", "M"]);

    private static UtteranceLogits Utterance(string id, string reference, string script)
    {
        var logits = CtcLogitsBuilder.Frames(Letters, script);
        return new UtteranceLogits(id, reference, logits, logits.Length / Letters.Count, 1.0);
    }

    private static readonly UtteranceLogits[] Utterances =
    [
        // greedy hears "THE KAT SAT ON THE MAT" and "THE KAT SAT"
        Utterance("a.wav", "the cat sat on the mat", "_ T H _ E | _ C:0.4/K:0.5 _ A T | S _ A T | O N | T H E | M A _ T _"),
        Utterance("b.wav", "the cat sat", "T H E | C:0.45/K:0.46 A T | S A T"),
        Utterance("c.wav", "the mat", "T H E | M A T"),
    ];

    private static NGramLanguageModel CatLanguageModel()
    {
        var builder = new KneserNeyBuilder(3);
        foreach (var sentence in new[] { "the cat sat on the mat", "the cat sat", "a cat on a mat", "the dog sat on the log" })
            builder.AddSentence(sentence);
        return builder.Build().ToLanguageModel();
    }

    [Fact]
    public void Scoring_precomputed_logits_with_greedy_decoding_counts_each_error()
    {
        var report = ModelEvaluation.Score(Utterances, new GreedyCtcDecoder(Letters), TextNormalizer.Default);

        Assert.Equal(["THE KAT SAT ON THE MAT", "THE KAT SAT", "THE MAT"], report.Utterances.Select(u => u.Hypothesis));
        Assert.Equal(2, report.WordCounts.Substitutions);
        Assert.Equal(11, report.WordCounts.ReferenceLength);
        Assert.Equal(2.0 / 11, report.WordErrorRate, 12);
    }

    [Fact]
    public void The_grid_reports_every_setting_and_the_best_uses_the_language_model()
    {
        var scored = new List<LanguageModelWeights>();
        var grid = LanguageModelWeightSearch.Search(Utterances, Letters, CatLanguageModel(), TextNormalizer.Default,
            [0, 1], [0, 0.5], BeamSearchOptions.Default with { BeamWidth = 20, UnknownWordOffset = 0 }, scored.Add);

        Assert.Equal([(0.0, 0.0), (0.0, 0.5), (1.0, 0.0), (1.0, 0.5)], grid.Select(g => (g.Alpha, g.Beta)));
        Assert.Equal(grid, scored);
        Assert.Equal(2.0 / 11, grid[0].Wer, 12); // α = 0, β = 0, no out-of-LM offset: the acoustic model alone, as greedy
        var best = LanguageModelWeightSearch.Best(grid);
        Assert.Equal(1.0, best.Alpha);
        Assert.Equal(0.0, best.Wer);
        Assert.Equal(0.0, best.Cer);
    }
}
