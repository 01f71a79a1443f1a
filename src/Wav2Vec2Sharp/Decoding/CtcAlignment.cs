namespace Wav2Vec2Sharp.Decoding;

/// <summary>Viterbi (best-path) alignment of a CTC labelling with frame log-probabilities.</summary>
internal static class CtcAlignment
{
    /// <summary>
    /// The tokens of <paramref name="labels"/> with the first and last frame of each in the most probable CTC path that
    /// emits exactly that labelling. <paramref name="logProbs"/> is <c>[frames, vocab]</c> row-major.
    /// </summary>
    public static CtcToken[] Align(IReadOnlyList<int> labels, double[] logProbs, int frames, int vocab, int blank)
    {
        int m = labels.Count, states = 2 * m + 1; // blank, l₁, blank, l₂, …, l_m, blank
        if (m == 0 || frames == 0)
            return [];
        int Label(int s) => (s & 1) == 0 ? blank : labels[s >> 1];
        var score = new double[states];
        var next = new double[states];
        var from = new byte[frames * states]; // 0: same state, 1: s − 1, 2: s − 2
        Array.Fill(score, double.NegativeInfinity);
        score[0] = logProbs[Label(0)];
        if (states > 1)
            score[1] = logProbs[Label(1)];
        for (int t = 1; t < frames; t++)
        {
            var row = t * vocab;
            for (int s = 0; s < states; s++)
            {
                double best = score[s];
                byte move = 0;
                if (s >= 1 && score[s - 1] > best)
                {
                    best = score[s - 1];
                    move = 1;
                }
                if (s >= 2 && (s & 1) == 1 && Label(s) != Label(s - 2) && score[s - 2] > best)
                {
                    best = score[s - 2];
                    move = 2;
                }
                next[s] = best + logProbs[row + Label(s)];
                from[t * states + s] = move;
            }
            (score, next) = (next, score);
        }

        int state = states > 1 && score[states - 2] > score[states - 1] ? states - 2 : states - 1;
        var tokens = new CtcToken[m];
        for (int i = 0; i < m; i++)
            tokens[i] = new CtcToken(labels[i], -1, -1);
        for (int t = frames - 1; t >= 0; t--)
        {
            if ((state & 1) == 1)
            {
                int i = state >> 1;
                tokens[i] = tokens[i] with { StartFrame = t, EndFrame = tokens[i].EndFrame < 0 ? t : tokens[i].EndFrame };
            }
            state -= from[t * states + state];
        }
        return tokens;
    }
}
