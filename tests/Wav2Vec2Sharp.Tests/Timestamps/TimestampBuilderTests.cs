using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Timestamps;

namespace Wav2Vec2Sharp.Tests.Timestamps;

public sealed class TimestampBuilderTests
{
    private static readonly Vocabulary Letters = SyntheticLogits.Letters;

    [Fact]
    public void Greedy_words_start_at_their_first_frame_and_end_after_their_last()
    {
        // frame:            0 1 2 3 4 5   6 7 8 9 10 11 12 13 14
        var logits = SyntheticLogits.Frames("_ H H E _ L:2 L _ L O | | W O _", out int frames);
        var hypothesis = new GreedyCtcDecoder(Letters).Decode(logits, frames, 1)[0];

        var timed = TimestampBuilder.Build(hypothesis, Letters, logits, frames, 0.02);

        Assert.Equal("HELLO WO", timed.Text);
        Assert.Equal(["HELLO", "WO"], timed.Words.Select(w => w.Text));
        var hello = timed.Words[0];
        Assert.Equal(0.02, hello.Start, 12);
        Assert.Equal(0.20, hello.End, 12);
        Assert.Equal(0.24, timed.Words[1].Start, 12);
        Assert.Equal(0.28, timed.Words[1].End, 12);
        // HELLO covers 7 token frames: 6 at logit 10 and one (frame 5) at logit 2.
        double expected = (6 * SyntheticLogits.Probability(10) + SyntheticLogits.Probability(2)) / 7;
        Assert.Equal(expected, hello.Confidence, 12);
        Assert.Equal(["H", "E", "L", "L", "O"], hello.Characters.Select(c => c.Text));
        var firstL = hello.Characters[2];
        Assert.Equal((5, 6), (firstL.StartFrame, firstL.EndFrame));
        Assert.Equal(0.10, firstL.Start, 12);
        Assert.Equal(0.14, firstL.End, 12);
        Assert.Equal((SyntheticLogits.Probability(2) + SyntheticLogits.Probability(10)) / 2, firstL.Confidence, 12);
    }

    [Fact]
    public void Any_hypothesis_is_timed_from_its_token_frames()
    {
        // A beam decoder may place tokens on frames whose argmax is something else.
        var logits = SyntheticLogits.Frames("_ _ _ _ _ _", out int frames);
        Letters.TryGetId("W", out int w);
        Letters.TryGetId("|", out int bar);
        Letters.TryGetId("E", out int e);
        var hypothesis = new CtcHypothesis("W E", [new CtcToken(w, 1, 2), new CtcToken(bar, 3, 3), new CtcToken(e, 4, 4)], -3);

        var timed = TimestampBuilder.Build(hypothesis, Letters, logits, frames, 0.02);

        Assert.Equal(["W", "E"], timed.Words.Select(x => x.Text));
        Assert.Equal((0.02, 0.06), (timed.Words[0].Start, timed.Words[0].End));
        Assert.Equal((0.08, 0.10), (timed.Words[1].Start, timed.Words[1].End));
        // On a frame where the blank has logit 10 and the rest 0, any other token has probability 1 / (e^10 + 11).
        Assert.Equal(1 / (Math.Exp(10) + 11), timed.Words[1].Confidence, 12);
    }

    [Fact]
    public void Lower_case_vocabularies_time_lower_case_words()
    {
        var lower = new Vocabulary(Enumerable.Range(0, Letters.Count).Select(i => Letters[i]).ToArray(), lowerCaseOutput: true);
        var logits = SyntheticLogits.Frames("H E | W", out int frames);

        var timed = TimestampBuilder.Build(new GreedyCtcDecoder(lower).Decode(logits, frames, 1)[0], lower, logits, frames, 0.02);

        Assert.Equal(["he", "w"], timed.Words.Select(x => x.Text));
    }
}
