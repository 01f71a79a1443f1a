using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.LanguageModels;

/// <summary>
/// Reads two ARPA files written by KenLM's <c>lmplz</c> and checks sentence scores against sums worked out by hand
/// from the entries listed in the files.
/// </summary>
public sealed class ArpaReaderTests
{
    private static NGramLanguageModel Word3 => NGramLanguageModel.Load(Fixtures.Path("arpa/kenlm-word-3gram.arpa"));
    private static NGramLanguageModel Char5 => NGramLanguageModel.Load(Fixtures.Path("arpa/kenlm-char-5gram.arpa"));

    [Fact]
    public void KenLM_files_parse_with_their_header_counts()
    {
        Assert.Equal(3, Word3.Order);
        Assert.Equal([5, 7, 7], Word3.Counts);
        Assert.Equal(5, Char5.Order);
        Assert.Equal([8, 8, 8, 8, 8], Char5.Counts);
        Assert.True(Word3.Contains("<unk>") && Word3.Contains("<s>") && Word3.Contains("</s>"));
    }

    [Fact]
    public void Listed_trigram_and_backoff_to_bigram_add_up()
    {
        // P(a | <s>)     = "<s> a"                              = -0.37712017
        // P(b | <s> a)   = "<s> a b" missing: bow(<s> a) + "a b" = -0.30103 + -0.58682
        // P(</s> | a b)  = "a b </s>"                           = -0.397617
        double expected = -0.37712017 + (-0.30103 + -0.58682) + -0.397617;

        Assert.Equal(expected, Word3.ScoreSentence(["a", "b"]), 9);
    }

    [Fact]
    public void Backoff_to_unigram_adds_both_weights_and_unlisted_histories_weigh_nothing()
    {
        // P(b | <s>)     = "<s> b"                                               = -0.41574958
        // P(b | <s> b)   = bow(<s> b) + ["b b" missing] bow(b) + "b"               = -0.30103 + -0.30103 + -0.57209677
        // P(</s> | b b)  = ["b b </s>" missing, "b b" unlisted: +0] + "b </s>"    = -0.5220179
        double expected = -0.41574958 + (-0.30103 + -0.30103 + -0.57209677) + -0.5220179;

        Assert.Equal(expected, Word3.ScoreSentence(["b", "b"]), 9);
    }

    [Fact]
    public void Unknown_words_are_scored_as_unk()
    {
        // P(a | <s>)       = -0.37712017
        // P(<unk> | <s> a) = bow(<s> a) + bow(a) + "<unk>"     = -0.30103 + -0.30103 + -0.90309
        // P(</s> | a <unk>) = [no "a <unk>", no "<unk> </s>", bow(<unk>) = 0] + "</s>" = -0.57209677
        double expected = -0.37712017 + (-0.30103 + -0.30103 + -0.90309) + -0.57209677;

        Assert.Equal(expected, Word3.ScoreSentence(["a", "zebra"]), 9);
        Assert.Equal(Word3.UnknownId, Word3.GetId("zebra"));
    }

    [Fact]
    public void Character_five_gram_uses_the_longest_listed_history()
    {
        // Every step is a listed n-gram: "<s> f", "<s> f o", "<s> f o o", "<s> f o o b", then 5-grams
        // "f o o b a", "o o b a r", "o b a r </s>" (the history is cut to the last four symbols).
        double expected = -0.22314323 + -0.097394995 + -0.08819265 + -0.29381964 + -0.02416831 + -0.02416831 + -0.02416831;

        Assert.Equal(expected, Char5.ScoreSentence("foobar".Select(c => c.ToString())), 9);
    }

    [Fact]
    public void Character_five_gram_backs_off_through_three_histories()
    {
        // P(r | <s> f o)   = bow(<s> f o) + bow(f o) + bow(o) + "r"   = 3 × -0.30103 + -0.8731268
        // P(</s> | <s> f o r): "<s> f o r", "f o r", "o r" are unlisted (weights 0), "r </s>" = -0.24644431
        double expected = -0.22314323 + -0.097394995 + (3 * -0.30103 + -0.8731268) + -0.24644431;

        Assert.Equal(expected, Char5.ScoreSentence(["f", "o", "r"]), 9);
    }

    [Fact]
    public void Stateful_scoring_matches_sentence_scoring_and_keeps_order_minus_one_words()
    {
        var lm = Char5;
        var state = lm.BeginSentenceState;
        double total = 0;
        foreach (var symbol in "foobar")
        {
            (double log10, state) = lm.Score(state, lm.GetId(symbol.ToString()));
            total += log10;
        }
        Assert.Equal(4, state.Length);
        Assert.Equal(["o", "b", "a", "r"], Enumerable.Range(0, 4).Select(i => lm.Words[state[i]]));
        total += lm.Score(state, lm.EndId).Log10Probability;

        Assert.Equal(lm.ScoreSentence("foobar".Select(c => c.ToString())), total, 12);
    }

    [Theory]
    [InlineData("\\data\\\nngram 1=3\n\n\\1-grams:\n-1\t<s>\n-1\t</s>\n\n\\end\\\n", "arpa:4: the \\data\\ header promises 3 1-grams but the section lists 2.")]
    [InlineData("\\data\\\nngram 1=1\n\n\\1-grams:\n-x.5\ta\n\\end\\\n", "arpa:5: bad log10 probability \"-x.5\".")]
    [InlineData("\\data\\\nngram 1=1\nngram 2=1\n\n\\1-grams:\n-1\ta\n\n\\end\\\n", "arpa:8: expected \\2-grams:, found \"\\end\\\".")]
    [InlineData("\\data\\\nngram 1=1\n\n\\1-grams:\n-1\ta\n", "arpa: missing \\end\\.")]
    [InlineData("hello\n", "arpa: no \\data\\ section (is this an ARPA file?).")]
    [InlineData("\\data\\\nngram 1=1\nngram 2=1\n\n\\1-grams:\n-1\ta\n\n\\2-grams:\n-1\ta b\n\\end\\\n", "arpa:9: word \"b\" is not listed in \\1-grams:.")]
    [InlineData("\\data\\\nngram 1=1\n\n\\1-grams:\n-1\ta b c\n\\end\\\n", "arpa:5: a 1-gram line needs a log10 probability, 1 word(s) and an optional back-off weight, found 4 field(s).")]
    public void Malformed_files_name_the_file_line_and_problem(string text, string message)
    {
        var e = Assert.Throws<ArpaFormatException>(() => NGramLanguageModel.Read(new StringReader(text), "arpa"));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Missing_file_is_reported_by_path()
    {
        var e = Assert.Throws<ArpaFormatException>(() => NGramLanguageModel.Load("/nonexistent/lm.arpa"));

        Assert.Equal("/nonexistent/lm.arpa: file not found.", e.Message);
    }

    [Fact]
    public void A_model_without_unk_gives_it_minus_100()
    {
        var lm = NGramLanguageModel.Read(new StringReader("\\data\\\nngram 1=2\n\n\\1-grams:\n-0.5\ta\n-0.5\t</s>\n\\end\\\n"), "arpa");

        Assert.Equal(-100, lm.Log10Probability([], "zebra"), 12);
        Assert.Equal(-0.5, lm.Log10Probability(["a"], "a"), 12);
    }
}
