using Wav2Vec2Sharp.Decoding;

namespace Wav2Vec2Sharp.Timestamps;

/// <summary>
/// CTC forced alignment: the single most likely CTC path (Viterbi) that spells a known transcript, giving each
/// character and word its frames (as torchaudio's <c>forced_align</c> and its tutorial).
/// </summary>
/// <remarks>
/// The trellis runs over the transcript's tokens with blanks interleaved, <c>∅ y1 ∅ y2 … ∅ yL ∅</c> (2L + 1 states).
/// From state s a path may stay, move to s + 1, or skip the blank to s + 2 when y(s+2) differs from y(s); it starts in
/// one of the first two states and ends in one of the last two. Words are separated by the word delimiter token, which
/// is aligned like any other character. Memory is one byte per frame and state for the back-pointers.
/// </remarks>
public static class CtcForcedAligner
{
    private const long MaxCells = 1L << 31;

    /// <summary>
    /// Token ids of <paramref name="transcript"/>: words (split at white space) joined by the word delimiter, each
    /// character looked up as written, else in upper case, else in lower case.
    /// </summary>
    /// <exception cref="AlignmentException">The transcript is empty or holds characters the vocabulary lacks.</exception>
    public static IReadOnlyList<int> Tokenize(string transcript, Vocabulary vocabulary)
    {
        var words = transcript.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            throw new AlignmentException("the transcript is empty.");
        bool hasDelimiter = vocabulary.TryGetId(vocabulary.WordDelimiter, out int delimiter);
        var ids = new List<int>();
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            if (ids.Count > 0 && hasDelimiter)
                ids.Add(delimiter);
            foreach (var rune in word.EnumerateRunes())
            {
                var text = rune.ToString();
                if (vocabulary.TryGetId(text, out int id) || vocabulary.TryGetId(text.ToUpperInvariant(), out id)
                    || vocabulary.TryGetId(text.ToLowerInvariant(), out id))
                    ids.Add(id);
                else
                    unknown.Add(text);
            }
        }
        if (unknown.Count > 0)
            throw new AlignmentException($"the transcript has characters outside the model's vocabulary: {string.Join(" ", unknown.Select(c => $"\"{c}\""))}.");
        return ids;
    }

    /// <summary>The best CTC path spelling <paramref name="tokens"/>, as a hypothesis whose score is the path's log-probability.</summary>
    /// <param name="logits">Row-major <c>[frames, vocab]</c>, unnormalised.</param>
    /// <param name="frames">Rows of <paramref name="logits"/>.</param>
    /// <param name="tokens">Token ids to align (never the blank).</param>
    /// <param name="vocabulary">The model's vocabulary (its blank is the CTC blank).</param>
    /// <exception cref="AlignmentException">The audio has fewer frames than the transcript needs.</exception>
    public static CtcHypothesis AlignPath(float[] logits, int frames, IReadOnlyList<int> tokens, Vocabulary vocabulary)
    {
        int blank = vocabulary.BlankId;
        if (blank < 0)
            throw new AlignmentException($"the vocabulary has no blank token \"{vocabulary.PadToken}\".");
        if (tokens.Count == 0)
            throw new AlignmentException("the transcript is empty.");
        if (tokens.Contains(blank))
            throw new ArgumentException("the tokens to align contain the blank", nameof(tokens));
        int repeats = Enumerable.Range(1, tokens.Count - 1).Count(i => tokens[i] == tokens[i - 1]);
        if (frames < tokens.Count + repeats)
            throw new AlignmentException($"the audio is too short for the transcript: {frames} frames, but its {tokens.Count} tokens" +
                (repeats > 0 ? $" and {repeats} doubled letters (each needs a blank between)" : "") + $" need at least {tokens.Count + repeats}.");
        int states = 2 * tokens.Count + 1;
        if ((long)frames * states > MaxCells)
            throw new AlignmentException($"{frames} frames × {states} states is too large to align at once; split the audio and transcript.");

        var probabilities = new FrameProbabilities(logits, frames, vocabulary.Count);
        int Label(int s) => s % 2 == 0 ? blank : tokens[s / 2];
        var back = new byte[(long)frames * states];
        var previous = new double[states];
        var current = new double[states];
        Array.Fill(previous, double.NegativeInfinity);
        previous[0] = probabilities.LogProbability(0, blank);
        previous[1] = probabilities.LogProbability(0, tokens[0]);
        for (int t = 1; t < frames; t++)
        {
            for (int s = 0; s < states; s++)
            {
                double best = previous[s];
                byte step = 0;
                if (s >= 1 && previous[s - 1] > best)
                    (best, step) = (previous[s - 1], 1);
                if (s >= 2 && s % 2 == 1 && Label(s) != Label(s - 2) && previous[s - 2] > best)
                    (best, step) = (previous[s - 2], 2);
                current[s] = double.IsNegativeInfinity(best) ? best : best + probabilities.LogProbability(t, Label(s));
                back[(long)t * states + s] = step;
            }
            (previous, current) = (current, previous);
        }

        int state = states > 1 && previous[states - 2] > previous[states - 1] ? states - 2 : states - 1;
        double score = previous[state];
        var path = new int[frames];
        for (int t = frames - 1; t >= 0; t--)
        {
            path[t] = state;
            if (t > 0)
                state -= back[(long)t * states + state];
        }
        return new CtcHypothesis(Text(tokens, vocabulary), Spans(path, tokens), score);
    }

    /// <summary>Aligns <paramref name="transcript"/> and times its words and characters.</summary>
    /// <exception cref="AlignmentException">Characters outside the vocabulary, or too few frames.</exception>
    public static TimedTranscript Align(float[] logits, int frames, string transcript, Vocabulary vocabulary, double secondsPerFrame)
    {
        var hypothesis = AlignPath(logits, frames, Tokenize(transcript, vocabulary), vocabulary);
        return TimestampBuilder.Build(hypothesis, vocabulary, logits, frames, secondsPerFrame);
    }

    private static List<CtcToken> Spans(int[] path, IReadOnlyList<int> tokens)
    {
        var spans = new List<CtcToken>();
        for (int t = 0; t < path.Length; t++)
        {
            if (path[t] % 2 == 0)
                continue;
            if (t > 0 && path[t - 1] == path[t])
                spans[^1] = spans[^1] with { EndFrame = t };
            else
                spans.Add(new CtcToken(tokens[path[t] / 2], t, t));
        }
        return spans;
    }

    private static string Text(IReadOnlyList<int> tokens, Vocabulary vocabulary)
    {
        var text = string.Concat(tokens.Select(id => vocabulary[id] == vocabulary.WordDelimiter ? " " : vocabulary[id]));
        return vocabulary.LowerCaseOutput ? text.ToLowerInvariant() : text;
    }
}
