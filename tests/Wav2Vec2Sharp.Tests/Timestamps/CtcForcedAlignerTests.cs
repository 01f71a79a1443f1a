using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Timestamps;

namespace Wav2Vec2Sharp.Tests.Timestamps;

public sealed class CtcForcedAlignerTests
{
    private static readonly Vocabulary Letters = SyntheticLogits.Letters;

    [Fact]
    public void Known_character_and_word_boundaries_are_recovered()
    {
        // frame:            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19
        var logits = SyntheticLogits.Frames("_ _ H H E _ L L _ L O | _ W W O R L D _", out int frames);

        var timed = CtcForcedAligner.Align(logits, frames, "hello world", Letters, 0.02);

        Assert.Equal("HELLO WORLD", timed.Text);
        Assert.Equal(["HELLO", "WORLD"], timed.Words.Select(w => w.Text));
        Assert.Equal([(2, 3), (4, 4), (6, 7), (9, 9), (10, 10)], timed.Words[0].Characters.Select(c => (c.StartFrame, c.EndFrame)));
        Assert.Equal([(13, 14), (15, 15), (16, 16), (17, 17), (18, 18)], timed.Words[1].Characters.Select(c => (c.StartFrame, c.EndFrame)));
        Assert.Equal((0.04, 0.22), (timed.Words[0].Start, timed.Words[0].End));
        Assert.Equal(0.26, timed.Words[1].Start, 12);
        Assert.Equal(0.38, timed.Words[1].End, 12);
        Assert.Equal(SyntheticLogits.Probability(10), timed.Words[1].Confidence, 9);
    }

    [Fact]
    public void The_transcript_is_forced_even_where_the_model_prefers_other_letters()
    {
        // Greedy decoding reads "HOLD"; the transcript "HELD" must still be spelled, E taking the weak frames 2-3.
        var logits = SyntheticLogits.Frames("H H O:1 O:1 L D", out int frames);
        Letters.TryGetId("E", out int e);
        logits[2 * Letters.Count + e] = 0.5f;
        logits[3 * Letters.Count + e] = 0.5f;

        var path = CtcForcedAligner.AlignPath(logits, frames, CtcForcedAligner.Tokenize("HELD", Letters), Letters);

        Assert.Equal("HELD", path.Text);
        Assert.Equal([(0, 1), (2, 3), (4, 4), (5, 5)], path.Tokens.Select(t => (t.StartFrame, t.EndFrame)));
        Assert.Equal("HOLD", new GreedyCtcDecoder(Letters).Decode(logits, frames, 1)[0].Text);
    }

    [Fact]
    public void Doubled_letters_need_a_blank_between_them()
    {
        var logits = SyntheticLogits.Frames("L L L", out int frames);

        var path = CtcForcedAligner.AlignPath(logits, frames, CtcForcedAligner.Tokenize("LL", Letters), Letters);

        Assert.Equal([(0, 0), (2, 2)], path.Tokens.Select(t => (t.StartFrame, t.EndFrame)));
    }

    [Fact]
    public void Audio_too_short_for_the_transcript_is_a_clear_error()
    {
        var logits = SyntheticLogits.Frames("H E L L", out int frames);

        var error = Assert.Throws<AlignmentException>(() => CtcForcedAligner.Align(logits, frames, "HELLO", Letters, 0.02));

        Assert.Equal("the audio is too short for the transcript: 4 frames, but its 5 tokens and 1 doubled letters (each needs a blank between) need at least 6.", error.Message);
    }

    [Fact]
    public void Characters_outside_the_vocabulary_are_named()
    {
        var error = Assert.Throws<AlignmentException>(() => CtcForcedAligner.Tokenize("Hé wörld", Letters));

        Assert.Equal("the transcript has characters outside the model's vocabulary: \"é\" \"ö\".", error.Message);
    }

    [Fact]
    public void Words_are_joined_by_the_delimiter_and_case_is_folded()
    {
        Assert.Equal([6, 5, 4, 9, 8], CtcForcedAligner.Tokenize("  he\two ", Letters));
    }
}
