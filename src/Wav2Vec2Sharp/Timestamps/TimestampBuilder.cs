using Wav2Vec2Sharp.Decoding;

namespace Wav2Vec2Sharp.Timestamps;

/// <summary>
/// Word and character times of a CTC hypothesis (greedy or beam): token frames × seconds per frame (HF
/// <c>output_word_offsets</c> × <c>inputs_to_logits_ratio / sampling_rate</c> = 0.02 s).
/// </summary>
public static class TimestampBuilder
{
    /// <summary>Times the tokens of <paramref name="hypothesis"/>, grouped into words at the word delimiter.</summary>
    /// <param name="hypothesis">Tokens with their frames, as any <see cref="ICtcDecoder"/> returns them.</param>
    /// <param name="vocabulary">Reads token ids.</param>
    /// <param name="logits">The logits the hypothesis was decoded from, row-major <c>[frames, vocab]</c>, for confidences.</param>
    /// <param name="frames">Rows of <paramref name="logits"/>.</param>
    /// <param name="secondsPerFrame">Duration of one frame (0.02 s).</param>
    /// <returns>Words with start = first token's first frame, end = last token's last frame + 1, and mean token probability.</returns>
    public static TimedTranscript Build(CtcHypothesis hypothesis, Vocabulary vocabulary, float[] logits, int frames, double secondsPerFrame)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        if (logits.Length != (long)frames * vocabulary.Count)
            throw new ArgumentException($"{logits.Length} logits do not fill [{frames}, {vocabulary.Count}]", nameof(logits));
        var probabilities = new FrameProbabilities(logits, frames, vocabulary.Count);
        var words = new List<TimedWord>();
        var current = new List<(CtcToken Token, TimedToken Timed, double ProbabilitySum)>();
        foreach (var token in hypothesis.Tokens)
        {
            if (vocabulary.IsSilent(token.Id))
                continue;
            var text = vocabulary[token.Id];
            if (text == vocabulary.WordDelimiter)
            {
                Flush();
                continue;
            }
            if (vocabulary.LowerCaseOutput)
                text = text.ToLowerInvariant();
            double sum = probabilities.SumProbability(token.Id, token.StartFrame, token.EndFrame);
            int count = token.EndFrame - token.StartFrame + 1;
            current.Add((token, new TimedToken(text, token.StartFrame * secondsPerFrame, (token.EndFrame + 1) * secondsPerFrame,
                sum / count, token.StartFrame, token.EndFrame), sum));
        }
        Flush();
        return new TimedTranscript(hypothesis.Text, words, frames * secondsPerFrame);

        void Flush()
        {
            if (current.Count == 0)
                return;
            int frameCount = current.Sum(c => c.Token.EndFrame - c.Token.StartFrame + 1);
            words.Add(new TimedWord(string.Concat(current.Select(c => c.Timed.Text)), current[0].Timed.Start, current[^1].Timed.End,
                current.Sum(c => c.ProbabilitySum) / frameCount, current.Select(c => c.Timed).ToArray()));
            current.Clear();
        }
    }
}
