using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.LanguageModels;

namespace Wav2Vec2Sharp.Tests.Decoding;

public sealed class BeamSearchCtcDecoderTests
{
    private static readonly Vocabulary Letters = new(["<pad>", "<s>", "</s>", "<unk>", "|", "E", "H", "L", "O", "W", "R", "D", "T", "C", "K", "A", "S", "N", "M"]);

    private static readonly BeamSearchOptions NoLm = new() { Alpha = 0, Beta = 0 };

    // "THE CAT SAT ON THE MAT", with the C of CAT heard slightly more like a K.
    private const string KatScript = "_ T H _ E | _ C:0.4/K:0.5 _ A T | S _ A T | O N | T H E | M A _ T _";

    private static IReadOnlyList<CtcHypothesis> Decode(ICtcDecoder decoder, float[] logits, int count = 1) =>
        decoder.Decode(logits, logits.Length / decoder.Vocabulary.Count, count);

    [Theory]
    [InlineData("_ H H _ E L L _ L O O | | W O _ R L D _")]
    [InlineData("H E L L O")]
    [InlineData("_ _ _")]
    [InlineData("| H E | | _ W O R L D | _")]
    [InlineData("T H E | C A T _ T")]
    public void Without_a_language_model_peaky_logits_decode_as_greedy(string script)
    {
        var logits = CtcLogitsBuilder.Frames(Letters, script);

        var beam = Decode(new BeamSearchCtcDecoder(Letters, null, NoLm), logits)[0];
        var greedy = Decode(new GreedyCtcDecoder(Letters), logits)[0];

        Assert.Equal(greedy.Text, beam.Text);
        Assert.True(beam.Score >= greedy.Score - 1e-9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void An_exhaustive_beam_finds_the_labelling_at_least_as_probable_as_the_greedy_one(int seed)
    {
        // Blank, "|" and three letters over 7 random frames: at most Σ 4^k < 22,000 prefixes, so nothing is pruned.
        var small = new Vocabulary(["<pad>", "|", "A", "B", "C"]);
        var logits = CtcLogitsBuilder.Random(7, small.Count, seed);
        var exhaustive = NoLm with { BeamWidth = 100_000, BeamThreshold = double.PositiveInfinity, TokenMinLogProbability = double.NegativeInfinity };

        var beam = Decode(new BeamSearchCtcDecoder(small, null, exhaustive), logits)[0];
        var greedy = Decode(new GreedyCtcDecoder(small), logits)[0];
        double greedyLabelling = CtcLogitsBuilder.LabellingLogProbability(logits, 7, small.Count, greedy.Tokens.Select(t => t.Id).ToArray());

        Assert.Equal(CtcLogitsBuilder.LabellingLogProbability(logits, 7, small.Count, beam.Tokens.Select(t => t.Id).ToArray()), beam.Score, 9);
        Assert.True(beam.Score >= greedyLabelling - 1e-9, $"beam {beam.Score} < greedy labelling {greedyLabelling}");
        Assert.True(greedyLabelling >= greedy.Score - 1e-9); // the labelling sums its best path and others
    }

    [Fact]
    public void A_default_beam_on_random_logits_scores_at_least_the_greedy_path()
    {
        var logits = CtcLogitsBuilder.Random(60, Letters.Count, seed: 7, scale: 3);

        var beam = Decode(new BeamSearchCtcDecoder(Letters, null, NoLm), logits)[0];
        var greedy = Decode(new GreedyCtcDecoder(Letters), logits)[0];

        Assert.True(beam.Score >= greedy.Score - 1e-9, $"beam {beam.Score} < greedy path {greedy.Score}");
    }

    [Fact]
    public void A_word_language_model_fixes_a_misspelling_greedy_makes()
    {
        var logits = CtcLogitsBuilder.Frames(Letters, KatScript);
        var builder = new KneserNeyBuilder(3);
        foreach (var sentence in new[] { "the cat sat on the mat", "the cat sat", "a cat on a mat", "the dog sat on the log" })
            builder.AddSentence(sentence);
        var lm = builder.Build().ToLanguageModel();

        var greedy = Decode(new GreedyCtcDecoder(Letters), logits)[0].Text;
        var withLm = Decode(new BeamSearchCtcDecoder(Letters, lm, new BeamSearchOptions { Alpha = 1, Beta = 0.5 }), logits)[0].Text;

        Assert.Equal("THE KAT SAT ON THE MAT", greedy);
        Assert.Equal("THE CAT SAT ON THE MAT", withLm);
    }

    [Fact]
    public void A_character_language_model_fixes_a_misspelling()
    {
        var lower = new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "f", "o", "b", "a", "r"]);
        var logits = CtcLogitsBuilder.Frames(lower, "f _ o _ o b _ o:0.5/a:0.4 _ r _");
        var lm = NGramLanguageModel.Load(Support.Fixtures.Path("arpa/kenlm-char-5gram.arpa"));

        var greedy = Decode(new GreedyCtcDecoder(lower), logits)[0].Text;
        var withLm = Decode(new BeamSearchCtcDecoder(lower, lm, new BeamSearchOptions { Alpha = 1, Beta = 0, LanguageModelUnit = LanguageModelUnit.Character }), logits)[0].Text;

        Assert.Equal("foobor", greedy);
        Assert.Equal("foobar", withLm);
    }

    [Fact]
    public void A_lexicon_allows_only_its_words()
    {
        var logits = CtcLogitsBuilder.Frames(Letters, KatScript);
        var lexicon = NoLm with { Lexicon = ["THE", "CAT", "SAT", "ON", "MAT"] };

        var text = Decode(new BeamSearchCtcDecoder(Letters, null, lexicon), logits)[0].Text;

        Assert.Equal("THE CAT SAT ON THE MAT", text);
    }

    [Fact]
    public void Hotwords_boost_their_spelling_and_partial_matches_are_taken_back()
    {
        var logits = CtcLogitsBuilder.Frames(Letters, KatScript);

        var boosted = Decode(new BeamSearchCtcDecoder(Letters, null, NoLm with { Hotwords = ["cat"], HotwordWeight = 1 }), logits)[0];
        var partial = Decode(new BeamSearchCtcDecoder(Letters, null, NoLm with { Hotwords = ["CATS"], HotwordWeight = 1 }), logits)[0];
        var plain = Decode(new BeamSearchCtcDecoder(Letters, null, NoLm), logits)[0];

        Assert.Equal("THE CAT SAT ON THE MAT", boosted.Text);
        Assert.Equal("THE KAT SAT ON THE MAT", partial.Text); // "CAT" only starts "CATS": no bonus kept
        Assert.Equal(plain.Score, partial.Score, 9);
    }

    [Fact]
    public void N_best_lists_distinct_texts_best_first()
    {
        var logits = CtcLogitsBuilder.Frames(Letters, KatScript);
        var decoder = new BeamSearchCtcDecoder(Letters, null, NoLm);

        var best = Decode(decoder, logits, count: 5);

        Assert.Equal(5, best.Count);
        Assert.Equal(best.Select(h => h.Text).Distinct().Count(), best.Count);
        Assert.Equal(best.OrderByDescending(h => h.Score).Select(h => h.Text), best.Select(h => h.Text));
        Assert.Equal("THE KAT SAT ON THE MAT", best[0].Text);
        Assert.Equal("THE CAT SAT ON THE MAT", best[1].Text);
        Assert.Equal(Decode(decoder, logits)[0], best[0], HypothesisComparer.Instance);
    }

    [Fact]
    public void Token_frames_are_the_runs_of_the_best_alignment()
    {
        // frame:                                          0 1 2 3 4 5 6 7 8 9
        var logits = CtcLogitsBuilder.Frames(Letters, "_ C C _ A T T | | S");

        var tokens = Decode(new BeamSearchCtcDecoder(Letters, null, NoLm), logits)[0].Tokens;

        Assert.Equal(
        [
            new CtcToken(Id("C"), 1, 2), new CtcToken(Id("A"), 4, 4), new CtcToken(Id("T"), 5, 6),
            new CtcToken(Id("|"), 7, 8), new CtcToken(Id("S"), 9, 9),
        ], tokens);
    }

    [Fact]
    public void Batch_decoding_in_parallel_equals_one_by_one()
    {
        var inputs = Enumerable.Range(0, 6).Select(i => CtcLogitsBuilder.Random(40 + i, Letters.Count, seed: i, scale: 4)).ToArray();
        var decoder = new BeamSearchCtcDecoder(Letters, null, NoLm with { BeamWidth = 16 });

        var batch = decoder.DecodeBatch(inputs, count: 2);

        for (int i = 0; i < inputs.Length; i++)
            Assert.Equal(Decode(decoder, inputs[i], 2), batch[i], HypothesisComparer.Instance);
    }

    [Fact]
    public void No_frames_give_one_empty_hypothesis()
    {
        var result = new BeamSearchCtcDecoder(Letters).Decode([], 0);

        Assert.Equal("", Assert.Single(result).Text);
    }

    private static int Id(string token) => Letters.TryGetId(token, out int id) ? id : throw new ArgumentException(token);

    private sealed class HypothesisComparer : IEqualityComparer<CtcHypothesis>
    {
        public static HypothesisComparer Instance { get; } = new();

        public bool Equals(CtcHypothesis? x, CtcHypothesis? y) =>
            x!.Text == y!.Text && x.Score == y.Score && x.Tokens.SequenceEqual(y.Tokens);

        public int GetHashCode(CtcHypothesis h) => h.Text.GetHashCode();
    }
}
