using System.Text;

namespace Wav2Vec2Sharp.Decoding;

/// <summary>
/// Best-path CTC decoding: the most likely token per frame, repeats collapsed, blanks dropped, the word delimiter
/// printed as a space (HF <c>Wav2Vec2CTCTokenizer.decode</c> of the argmax ids).
/// </summary>
public sealed class GreedyCtcDecoder(Vocabulary vocabulary) : ICtcDecoder
{
    /// <summary>The vocabulary ids are read against.</summary>
    public Vocabulary Vocabulary { get; } = vocabulary;

    /// <summary>Per-frame argmax of <paramref name="logits"/> <c>[frames, vocab]</c> (row-major), for the first <paramref name="frames"/> rows.</summary>
    public static int[] BestPath(ReadOnlySpan<float> logits, int frames, int vocabSize)
    {
        var ids = new int[frames];
        for (int t = 0; t < frames; t++)
        {
            var row = logits.Slice(t * vocabSize, vocabSize);
            int best = 0;
            for (int v = 1; v < vocabSize; v++)
            {
                if (row[v] > row[best])
                    best = v;
            }
            ids[t] = best;
        }
        return ids;
    }

    /// <summary>Text of a per-frame id sequence.</summary>
    public string Decode(IReadOnlyList<int> frameIds)
    {
        var text = new StringBuilder();
        int previous = -1;
        foreach (var id in frameIds)
        {
            if (id == previous)
                continue;
            previous = id;
            if (Vocabulary.IsSilent(id))
                continue;
            var token = Vocabulary[id];
            if (token == Vocabulary.WordDelimiter)
            {
                if (text.Length > 0 && text[^1] != ' ')
                    text.Append(' ');
            }
            else
                text.Append(token);
        }
        var result = text.ToString().Trim();
        return Vocabulary.LowerCaseOutput ? result.ToLowerInvariant() : result;
    }

    /// <summary>Text of logits <c>[frames, vocab]</c> (row-major).</summary>
    public string Decode(ReadOnlySpan<float> logits, int frames) => Decode(BestPath(logits, frames, Vocabulary.Count));

    /// <summary>The best path as one hypothesis with token frames; its score is the path's log-probability.</summary>
    public IReadOnlyList<CtcHypothesis> Decode(ReadOnlySpan<float> logits, int frames, int count = 1)
    {
        int vocab = Vocabulary.Count;
        var ids = BestPath(logits, frames, vocab);
        var tokens = new List<CtcToken>();
        double score = 0;
        for (int t = 0; t < frames; t++)
        {
            var row = logits.Slice(t * vocab, vocab);
            score += row[ids[t]] - LogSumExp(row);
            if (Vocabulary.IsSilent(ids[t]))
                continue;
            if (t > 0 && ids[t - 1] == ids[t])
                tokens[^1] = tokens[^1] with { EndFrame = t };
            else
                tokens.Add(new CtcToken(ids[t], t, t));
        }
        return [new CtcHypothesis(Decode(ids), tokens, score)];
    }

    /// <summary>log Σ exp(<paramref name="row"/>), computed stably.</summary>
    public static double LogSumExp(ReadOnlySpan<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (var x in row)
            max = Math.Max(max, x);
        double sum = 0;
        foreach (var x in row)
            sum += Math.Exp(x - max);
        return max + Math.Log(sum);
    }
}
