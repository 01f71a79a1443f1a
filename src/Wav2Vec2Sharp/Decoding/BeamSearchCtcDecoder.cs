using Wav2Vec2Sharp.LanguageModels;

namespace Wav2Vec2Sharp.Decoding;

/// <summary>
/// CTC prefix beam search over the model's characters, optionally with an n-gram language model, a lexicon and hotwords.
/// </summary>
/// <remarks>
/// <para>Each frame's logits go through log-softmax. A prefix (collapsed labelling) keeps two log-probabilities: of its
/// paths ending in blank and ending in its last token (Graves 2012, Hannun et al. 2014). Per frame every prefix may stay
/// (blank, or a repeat of its last token) or grow by one token; a token equal to the last one grows the prefix only from
/// paths that end in blank. Prefixes that reach the same labelling are merged.</para>
/// <para>Ranking score = log P_acoustic(prefix) + α · ln P_LM + β · words + hotword bonuses. A word LM scores a word when
/// the delimiter <c>|</c> completes it, and the last word plus <c>&lt;/s&gt;</c> at the end of the utterance; a character LM
/// scores every token. After each frame the best <see cref="BeamSearchOptions.BeamWidth"/> prefixes within
/// <see cref="BeamSearchOptions.BeamThreshold"/> of the best are kept.</para>
/// <para>Token frames come from the Viterbi alignment of each returned labelling with the frame log-probabilities.</para>
/// <para>The decoder and its language model are read-only: one instance may decode on many threads
/// (<see cref="DecodeBatch"/>).</para>
/// </remarks>
/// <example>
/// <code>
/// var lm = NGramLanguageModel.Load("4gram.arpa");
/// var decoder = new BeamSearchCtcDecoder(vocabulary, lm, new BeamSearchOptions { Alpha = 0.5, Beta = 1.0 });
/// var best = decoder.Decode(logits, frames)[0];   // best.Text, best.Tokens[i].StartFrame * 0.02 s
/// </code>
/// </example>
public sealed class BeamSearchCtcDecoder : ICtcDecoder
{
    private readonly BeamScorer _scorer;
    private readonly int _blank;
    private readonly bool[] _extends; // tokens that may grow a prefix: all but the blank

    /// <summary>Creates a decoder.</summary>
    /// <param name="vocabulary">The model's output symbols (must contain the blank).</param>
    /// <param name="languageModel">An n-gram model over words or characters (<see cref="BeamSearchOptions.LanguageModelUnit"/>), or null.</param>
    /// <param name="options">Beam settings (<see cref="BeamSearchOptions.Default"/> when null).</param>
    /// <exception cref="ArgumentException">The vocabulary has no blank token, or an option is out of range.</exception>
    public BeamSearchCtcDecoder(Vocabulary vocabulary, NGramLanguageModel? languageModel = null, BeamSearchOptions? options = null)
    {
        Vocabulary = vocabulary;
        LanguageModel = languageModel;
        Options = options ?? BeamSearchOptions.Default;
        if (Options.BeamWidth < 1)
            throw new ArgumentException($"the beam width must be at least 1, got {Options.BeamWidth}", nameof(options));
        _blank = vocabulary.BlankId;
        if (_blank < 0)
            throw new ArgumentException($"the vocabulary has no blank token \"{vocabulary.PadToken}\"", nameof(vocabulary));
        _extends = Enumerable.Range(0, vocabulary.Count).Select(id => id != _blank).ToArray();
        _scorer = new BeamScorer(vocabulary, languageModel, Options);
    }

    /// <inheritdoc/>
    public Vocabulary Vocabulary { get; }

    /// <summary>The language model, if any.</summary>
    public NGramLanguageModel? LanguageModel { get; }

    /// <summary>The settings in use.</summary>
    public BeamSearchOptions Options { get; }

    /// <inheritdoc/>
    public IReadOnlyList<CtcHypothesis> Decode(ReadOnlySpan<float> logits, int frames, int count = 1)
    {
        int vocab = Vocabulary.Count;
        if (frames < 0 || logits.Length < frames * vocab)
            throw new ArgumentException($"expected at least {frames} × {vocab} logits, got {logits.Length}", nameof(logits));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var logProbs = LogSoftmax(logits, frames, vocab);
        var beam = Search(logProbs, frames, vocab);
        return Results(beam, logProbs, frames, vocab, count);
    }

    /// <summary>Decodes utterances in parallel across CPU cores; logits of each are <c>[frames, vocab]</c> row-major.</summary>
    /// <param name="logits">One array per utterance (its length is a multiple of the vocabulary size).</param>
    /// <param name="count">Hypotheses per utterance.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use (−1: all cores).</param>
    public IReadOnlyList<IReadOnlyList<CtcHypothesis>> DecodeBatch(IReadOnlyList<float[]> logits, int count = 1, int maxDegreeOfParallelism = -1)
    {
        var results = new IReadOnlyList<CtcHypothesis>[logits.Count];
        Parallel.For(0, logits.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            i => results[i] = Decode(logits[i], logits[i].Length / Vocabulary.Count, count));
        return results;
    }

    private List<BeamPrefix> Search(double[] logProbs, int frames, int vocab)
    {
        var root = _scorer.Root();
        root.Blank = 0;
        var beam = new List<BeamPrefix> { root };
        var next = new List<BeamPrefix>();
        var existing = new Dictionary<(BeamPrefix, int), BeamPrefix>(ReferenceTokenComparer.Instance);
        var candidates = new List<int>();
        for (int t = 0; t < frames; t++)
        {
            int row = t * vocab;
            SelectTokens(logProbs, row, vocab, candidates);
            existing.Clear();
            foreach (var prefix in beam)
            {
                if (prefix.Parent is not null)
                    existing[(prefix.Parent, prefix.Token)] = prefix;
            }
            next.Clear();
            double blank = logProbs[row + _blank];
            foreach (var prefix in beam)
            {
                double total = prefix.Acoustic;
                Touch(prefix, t, next);
                prefix.NextBlank = BeamPrefix.LogAdd(prefix.NextBlank, total + blank);
                if (prefix.Token >= 0)
                    prefix.NextNonBlank = BeamPrefix.LogAdd(prefix.NextNonBlank, prefix.NonBlank + logProbs[row + prefix.Token]);
                foreach (var token in candidates)
                {
                    if (!existing.TryGetValue((prefix, token), out var child))
                    {
                        child = _scorer.Extend(prefix, token);
                        if (child is null)
                            continue;
                    }
                    Touch(child, t, next);
                    // A repeated token needs a blank in between; any other token may follow either ending.
                    double from = token == prefix.Token ? prefix.Blank : total;
                    child.NextNonBlank = BeamPrefix.LogAdd(child.NextNonBlank, from + logProbs[row + token]);
                }
            }
            foreach (var prefix in next)
            {
                prefix.Blank = prefix.NextBlank;
                prefix.NonBlank = prefix.NextNonBlank;
            }
            Prune(next, beam);
        }
        return beam;
    }

    private static void Touch(BeamPrefix prefix, int t, List<BeamPrefix> next)
    {
        if (prefix.Stamp == t)
            return;
        prefix.Stamp = t;
        prefix.NextBlank = prefix.NextNonBlank = double.NegativeInfinity;
        next.Add(prefix);
    }

    // Token pruning: tokens above the threshold (the best always), at most TokenBeamSize of them.
    private void SelectTokens(double[] logProbs, int row, int vocab, List<int> candidates)
    {
        candidates.Clear();
        int best = -1;
        for (int v = 0; v < vocab; v++)
        {
            if (_extends[v] && (best < 0 || logProbs[row + v] > logProbs[row + best]))
                best = v;
        }
        for (int v = 0; v < vocab; v++)
        {
            if (_extends[v] && (v == best || logProbs[row + v] >= Options.TokenMinLogProbability))
                candidates.Add(v);
        }
        if (Options.TokenBeamSize > 0 && candidates.Count > Options.TokenBeamSize)
        {
            candidates.Sort((a, b) => logProbs[row + b].CompareTo(logProbs[row + a]));
            candidates.RemoveRange(Options.TokenBeamSize, candidates.Count - Options.TokenBeamSize);
        }
    }

    // Beam pruning: the best BeamWidth prefixes within BeamThreshold of the best.
    private void Prune(List<BeamPrefix> next, List<BeamPrefix> beam)
    {
        var scores = new double[next.Count];
        var items = next.ToArray();
        for (int i = 0; i < items.Length; i++)
            scores[i] = -items[i].Score;
        Array.Sort(scores, items);
        beam.Clear();
        double floor = -scores[0] - Options.BeamThreshold;
        for (int i = 0; i < items.Length && beam.Count < Options.BeamWidth && -scores[i] >= floor; i++)
            beam.Add(items[i]);
    }

    private IReadOnlyList<CtcHypothesis> Results(List<BeamPrefix> beam, double[] logProbs, int frames, int vocab, int count)
    {
        var finished = new List<(BeamPrefix Prefix, double Score, string Text)>();
        foreach (var prefix in beam)
        {
            if (_scorer.Finish(prefix) is { } score)
                finished.Add((prefix, score, _scorer.Text(prefix)));
        }
        if (finished.Count == 0) // the lexicon rejected every ending: better an out-of-lexicon word than nothing
            finished.AddRange(beam.Select(p => (p, p.Score, _scorer.Text(p))));
        // Labellings that print the same text (e.g. with and without a trailing delimiter) count once, at their best.
        return finished.OrderByDescending(f => f.Score).DistinctBy(f => f.Text).Take(count)
            .Select(f => new CtcHypothesis(f.Text, CtcAlignment.Align(Labels(f.Prefix), logProbs, frames, vocab, _blank), f.Score))
            .ToArray();
    }

    private static int[] Labels(BeamPrefix prefix)
    {
        var labels = new int[prefix.Length];
        for (var p = prefix; p.Parent is not null; p = p.Parent)
            labels[p.Length - 1] = p.Token;
        return labels;
    }

    private static double[] LogSoftmax(ReadOnlySpan<float> logits, int frames, int vocab)
    {
        var result = new double[frames * vocab];
        for (int t = 0; t < frames; t++)
        {
            var row = logits.Slice(t * vocab, vocab);
            double norm = GreedyCtcDecoder.LogSumExp(row);
            for (int v = 0; v < vocab; v++)
                result[t * vocab + v] = row[v] - norm;
        }
        return result;
    }
}
