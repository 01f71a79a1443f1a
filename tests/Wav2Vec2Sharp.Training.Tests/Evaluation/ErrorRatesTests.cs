using Wav2Vec2Sharp.Evaluation;

namespace Wav2Vec2Sharp.Tests.Evaluation;

public sealed class ErrorRatesTests
{
    [Theory]
    //          reference                 hypothesis              H  S  D  I
    [InlineData("the cat sat on the mat", "the cat sit on mat", 4, 1, 1, 0)]
    [InlineData("the cat sat", "the big cat sat down", 3, 0, 0, 2)]
    [InlineData("a b c", "x y z", 0, 3, 0, 0)]
    [InlineData("a b c", "x y z w", 0, 3, 0, 1)]
    [InlineData("a b c d", "", 0, 0, 4, 0)]
    [InlineData("a b", "a b", 2, 0, 0, 0)]
    [InlineData("", "", 0, 0, 0, 0)]
    [InlineData("", "uh huh", 0, 0, 0, 2)]
    [InlineData("  spaced   out ", "spaced\tout", 2, 0, 0, 0)]
    [InlineData("one two three four five", "two three four five six", 4, 0, 1, 1)]
    public void Word_counts_are_the_hand_worked_ones(string reference, string hypothesis, int hits, int substitutions, int deletions, int insertions)
    {
        var alignment = ErrorRates.AlignWords(reference, hypothesis);

        Assert.Equal(new ErrorCounts(hits, substitutions, deletions, insertions), alignment.Counts);
    }

    [Fact]
    public void The_example_sentence_has_a_wer_of_two_sixths_and_an_exact_alignment()
    {
        var alignment = ErrorRates.AlignWords("the cat sat on the mat", "the cat sit on mat");

        Assert.Equal(2.0 / 6, alignment.Rate);
        Assert.Equal(2.0 / 6, ErrorRates.WordErrorRate("the cat sat on the mat", "the cat sit on mat"));
        Assert.Equal("CCSCDC", alignment.Codes);
        Assert.Equal(
        [
            new AlignedToken(EditOperation.Match, "the", "the"),
            new AlignedToken(EditOperation.Match, "cat", "cat"),
            new AlignedToken(EditOperation.Substitution, "sat", "sit"),
            new AlignedToken(EditOperation.Match, "on", "on"),
            new AlignedToken(EditOperation.Deletion, "the", null),
            new AlignedToken(EditOperation.Match, "mat", "mat"),
        ], alignment.Tokens);
        Assert.Equal("REF: the cat sat on the mat\nHYP: the cat sit on *** mat\n             S      D", alignment.ToString());
    }

    [Fact]
    public void Insertions_can_push_the_rate_above_one()
    {
        Assert.Equal(3.0, ErrorRates.WordErrorRate("yes", "no no no"));
        Assert.Equal(1.0, ErrorRates.WordErrorRate("a b c d", ""));
    }

    [Fact]
    public void Empty_references_give_zero_or_nan()
    {
        Assert.Equal(0.0, ErrorRates.WordErrorRate("", "  "));
        Assert.True(double.IsNaN(ErrorRates.WordErrorRate("", "noise")));
        Assert.True(double.IsNaN(ErrorRates.CharacterErrorRate("", "x")));
    }

    [Fact]
    public void Characters_include_single_spaces_between_words()
    {
        Assert.Equal(["a", "b", " ", "c"], ErrorRates.Characters("  ab \t c "));
        Assert.Equal(["𐐀", "é"], ErrorRates.Characters("𐐀é"));

        // "hello world" (11 characters) vs "hello word": one deletion (the 'l').
        var alignment = ErrorRates.AlignCharacters("hello world", "hello word");
        Assert.Equal(new ErrorCounts(10, 0, 1, 0), alignment.Counts);
        Assert.Equal(1.0 / 11, alignment.Rate);

        // A missing word boundary is one deleted space.
        Assert.Equal(new ErrorCounts(10, 0, 1, 0), ErrorRates.AlignCharacters("hello world", "helloworld").Counts);
        Assert.Equal(1.0 / 11, ErrorRates.CharacterErrorRate("hello world", "helloworld"));
    }

    [Fact]
    public void Corpus_rates_are_total_errors_over_total_reference_tokens_not_a_mean_of_rates()
    {
        (string, string)[] pairs = [("a", "b"), ("a b c d e f g h i", "a b c d e f g h i")];

        var counts = ErrorRates.WordErrors(pairs);

        Assert.Equal(new ErrorCounts(9, 1, 0, 0), counts);
        Assert.Equal(0.1, counts.Rate);            // the mean of the utterance rates would be 0.5
        Assert.Equal(new ErrorCounts(17, 1, 0, 0), ErrorRates.CharacterErrors(pairs));
    }

    [Fact]
    public void Corpus_scores_pair_references_with_hypotheses()
    {
        var scores = ErrorRates.Corpus(["the cat sat on the mat", "hello world"], ["the cat sit on mat", "hello word"]);

        Assert.Equal(2, scores.Utterances);
        Assert.Equal(new ErrorCounts(5, 2, 1, 0), scores.Words);
        Assert.Equal(3.0 / 8, scores.Wer);
        Assert.Equal(new ErrorCounts(27, 1, 5, 0), scores.Characters);
        Assert.Equal(6.0 / 33, scores.Cer);
        Assert.Throws<ArgumentException>(() => ErrorRates.Corpus(["a"], []));
    }

    [Fact]
    public void Corpus_totals_count_insertions_against_empty_references()
    {
        var counts = ErrorRates.WordErrors([("", "uh"), ("a b", "a b")]);

        Assert.Equal(new ErrorCounts(2, 0, 0, 1), counts);
        Assert.Equal(0.5, counts.Rate);
    }

    [Fact]
    public void Counts_add_up()
    {
        var sum = new ErrorCounts(1, 2, 3, 4) + new ErrorCounts(10, 20, 30, 40);

        Assert.Equal(new ErrorCounts(11, 22, 33, 44), sum);
        Assert.Equal(99, sum.Errors);
        Assert.Equal(66, sum.ReferenceLength);
        Assert.Equal(77, sum.HypothesisLength);
        Assert.Equal(ErrorCounts.Zero, ErrorCounts.Sum([]));
    }

    [Fact]
    public void Alignment_steps_are_consistent_with_the_edit_distance_on_random_inputs()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            var reference = Enumerable.Range(0, random.Next(0, 9)).Select(_ => ((char)('a' + random.Next(3))).ToString()).ToArray();
            var hypothesis = Enumerable.Range(0, random.Next(0, 9)).Select(_ => ((char)('a' + random.Next(3))).ToString()).ToArray();

            var alignment = ErrorRates.Align(reference, hypothesis);

            Assert.Equal(Levenshtein(reference, hypothesis), alignment.Counts.Errors);
            Assert.Equal(reference, alignment.Tokens.Where(t => t.Reference is not null).Select(t => t.Reference));
            Assert.Equal(hypothesis, alignment.Tokens.Where(t => t.Hypothesis is not null).Select(t => t.Hypothesis));
            Assert.All(alignment.Tokens, t => Assert.Equal(t.Operation == EditOperation.Match, t.Reference == t.Hypothesis));
        }
    }

    private static int Levenshtein(string[] a, string[] b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        }
        return d[a.Length, b.Length];
    }
}
