using Wav2Vec2Sharp.LanguageModels;

namespace Wav2Vec2Sharp.Tests.LanguageModels;

public sealed class KneserNeyBuilderTests
{
    private static readonly string[] Corpus =
    [
        "The cat sat on the mat.", "The dog sat on the log.", "A cat and a dog!", "The cat ate the fish",
        "the dog ate the bone", "On the mat the cat sat", "a fish", "The mat, the log and the bone.",
        "Cats and dogs", "the the the cat",
    ];

    private static KneserNeyBuilder Builder(int order, IEnumerable<string> sentences)
    {
        var builder = new KneserNeyBuilder(order);
        foreach (var sentence in sentences)
            builder.AddSentence(sentence);
        return builder;
    }

    [Fact]
    public void Bigram_model_of_a_tiny_corpus_matches_the_hand_computation()
    {
        // Given "<s> A B </s>" and "<s> A </s>", order 2. Too few counts for lmplz's formula, so the fallback
        // discounts D1 = 0.5, D2 = 1, D3+ = 1.5 apply at both orders.
        var lm = Builder(2, ["a b", "A."]).Build().ToLanguageModel();

        // Unigrams use continuation counts: A follows {<s>} → 1, B follows {A} → 1, </s> follows {A, B} → 2; Σ = 4.
        // γ(ε) = (0.5·2 + 1·1) / 4 = 0.5, spread over |V| = 4 (A, B, </s>, <unk>): + 0.125 each.
        // p(A) = 0.5/4 + 0.125 = 0.25; p(B) = 0.25; p(</s>) = 1/4 + 0.125 = 0.375; p(<unk>) = 0.125.
        Assert.Equal(Math.Log10(0.25), lm.Log10Probability([], "A"), 9);
        Assert.Equal(Math.Log10(0.375), lm.Log10Probability([], "</s>"), 9);
        Assert.Equal(Math.Log10(0.125), lm.Log10Probability([], "<unk>"), 9);
        // Bigrams use raw counts. <s>: {A: 2}, Σ 2, γ = 1·1/2 = 0.5 → p(A|<s>) = (2 − 1)/2 + 0.5·0.25 = 0.625.
        // A: {B: 1, </s>: 1}, Σ 2, γ = 0.5·2/2 = 0.5 → p(B|A) = 0.5/2 + 0.5·0.25 = 0.375.
        // B: {</s>: 1}, Σ 1, γ = 0.5 → p(</s>|B) = 0.5 + 0.5·0.375 = 0.6875.
        Assert.Equal(Math.Log10(0.625 * 0.375 * 0.6875), lm.ScoreSentence(["A", "B"]), 9);
        // An unseen bigram backs off with γ as the ARPA weight: p(B|<s>) = 0.5 · 0.25.
        Assert.Equal(Math.Log10(0.5 * 0.25), lm.Log10Probability(["<s>"], "B"), 9);
        Assert.Equal(Math.Log10(0.5), lm.Log10Backoff(["A"]), 9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_context_of_the_corpus_gives_a_distribution_that_sums_to_one(int order)
    {
        var lm = Builder(order, Corpus).Build().ToLanguageModel();
        var predicted = lm.Words.Where(w => w != NGramLanguageModel.SentenceBegin).ToArray();
        var contexts = new HashSet<string>(StringComparer.Ordinal) { "" };
        foreach (var sentence in Corpus)
        {
            var padded = new[] { "<s>" }.Concat(Wav2Vec2Sharp.Text.TextNormalizer.Default.Normalize(sentence).Split(' ')).ToArray();
            for (int end = 1; end <= padded.Length; end++)
            {
                for (int length = 1; length <= Math.Min(order - 1, end); length++)
                    contexts.Add(string.Join(' ', padded[(end - length)..end]));
            }
        }
        contexts.Add("DOG THE"); // an unseen history backs off all the way

        foreach (var context in contexts)
        {
            var history = context.Length == 0 ? [] : context.Split(' ');
            double sum = predicted.Sum(w => Math.Pow(10, lm.Log10Probability(history, w)));
            Assert.True(Math.Abs(sum - 1) < 1e-6, $"context \"{context}\": Σ p = {sum:R}");
        }
    }

    [Fact]
    public void Unknown_words_get_a_small_nonzero_probability()
    {
        var lm = Builder(3, Corpus).Build().ToLanguageModel();

        double unknown = lm.Log10Probability([], "<unk>");
        Assert.True(unknown > -10 && unknown < lm.Log10Probability([], "FISH"));
        Assert.Equal(unknown, lm.Log10Probability([], "ZEBRA"), 12);
    }

    [Fact]
    public void Discounts_follow_the_counts_of_counts()
    {
        // Y = 10 / (10 + 2·4) = 5/9; D1 = 1 − 2Y·4/10; D2 = 2 − 3Y·3/4; D3+ = 3 − 4Y·2/3.
        var d = KneserNeyDiscounts.FromCountsOfCounts(10, 4, 3, 2);
        double y = 10.0 / 18;

        Assert.Equal(1 - 2 * y * 4 / 10, d.D1, 12);
        Assert.Equal(2 - 3 * y * 3 / 4, d.D2, 12);
        Assert.Equal(3 - 4 * y * 2 / 3, d.D3Plus, 12);
        Assert.Equal(KneserNeyDiscounts.Fallback, KneserNeyDiscounts.FromCountsOfCounts(10, 4, 0, 2));
    }

    [Fact]
    public void The_written_file_has_lmplz_layout_and_reads_back()
    {
        var model = Builder(3, Corpus).Build();
        var text = new StringWriter();
        model.Write(text);
        var lm = NGramLanguageModel.Read(new StringReader(text.ToString()), "built");

        Assert.StartsWith("\\data\\\nngram 1=", text.ToString());
        Assert.EndsWith("\\end\\\n", text.ToString());
        Assert.Equal(model.EntriesByOrder.Select(e => e.Count), lm.Counts);
        Assert.Contains(model.EntriesByOrder[0], e => e.Words[0] == "<s>" && e.Log10Probability == -99);
        Assert.True(lm.ScoreSentence(["THE", "CAT", "SAT"]) > lm.ScoreSentence(["CAT", "THE", "SAT"]));
    }

    [Fact]
    public void Building_without_words_is_an_error()
    {
        var builder = Builder(3, ["", "...", "  "]);

        Assert.Equal(0, builder.Sentences);
        Assert.Throws<InvalidOperationException>(builder.Build);
    }
}
