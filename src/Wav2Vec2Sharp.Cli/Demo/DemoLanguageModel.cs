using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Demo;

/// <summary>The demo's word n-gram LM and the text it was estimated from.</summary>
/// <param name="ArpaPath">The ARPA file.</param>
/// <param name="TextPath">Its training text, one sentence per line.</param>
/// <param name="Order">The n-gram order.</param>
/// <param name="Sentences">Training sentences.</param>
/// <param name="HeldOutSentences">Sentences of the source left out because the dev or a test set (or, when the demo self-trains, the unlabelled audio) speaks them.</param>
public sealed record DemoLanguageModel(string ArpaPath, string TextPath, int Order, int Sentences, int HeldOutSentences)
{
    /// <summary>
    /// Estimates an interpolated modified Kneser-Ney LM from the corpus's sentence source with every sentence of the
    /// evaluation sets (and whatever else <paramref name="heldOut"/> holds) removed, so that the LM never saw a dev or test transcript.
    /// </summary>
    /// <param name="folder">Where the ARPA and text files are written (atomically).</param>
    /// <param name="source">The sentences the corpus was synthesised from.</param>
    /// <param name="heldOut">Transcripts of the dev and test sets, and of the unlabelled audio when the demo self-trains.</param>
    /// <param name="normalizer">The normalisation of transcripts (and therefore of LM words).</param>
    /// <param name="order">The n-gram order.</param>
    /// <exception cref="Wav2Vec2SharpException">Every sentence of the source is held out.</exception>
    public static DemoLanguageModel Build(string folder, SentenceSource source, IEnumerable<string> heldOut, TextNormalizer normalizer, int order)
    {
        Directory.CreateDirectory(folder);
        var excluded = heldOut.Select(normalizer.Normalize).ToHashSet(StringComparer.Ordinal);
        var kept = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int removed = 0;
        foreach (var sentence in source.Sentences)
        {
            var text = normalizer.Normalize(sentence);
            if (text.Length == 0 || !seen.Add(text))
                continue;
            if (excluded.Contains(text))
                removed++;
            else
                kept.Add(text);
        }
        if (kept.Count == 0)
            throw new Wav2Vec2SharpException($"no sentence of the corpus's text source is left for the language model once the {removed} that the dev, test or unlabelled audio speaks are removed; " +
                                             "synthesise less unlabelled audio (--self-train) or use a larger text source.");
        var builder = new KneserNeyBuilder(order, normalizer);
        foreach (var text in kept)
            builder.AddSentence(text);
        var textPath = Path.Combine(folder, "lm_text.txt");
        var arpaPath = Path.Combine(folder, $"{order}gram.arpa");
        AtomicFile.WriteAllText(textPath, string.Join('\n', kept) + "\n");
        builder.Build().Save(arpaPath);
        return new DemoLanguageModel(arpaPath, textPath, order, kept.Count, removed);
    }
}
