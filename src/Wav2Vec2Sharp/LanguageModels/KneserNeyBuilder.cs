using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>
/// Estimates an interpolated modified Kneser-Ney n-gram model from sentences (Chen &amp; Goodman 1998), the way
/// KenLM's <c>lmplz</c> does, and returns it as ARPA entries.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Each sentence is normalised with the project's <see cref="TextNormalizer"/> (the same text the acoustic model
/// was fine-tuned on), split into words and padded as <c>&lt;s&gt; w₁ … w_m &lt;/s&gt;</c>.</item>
/// <item>Adjusted counts a(·): the highest order and n-grams starting with <c>&lt;s&gt;</c> keep their raw counts;
/// every other lower-order n-gram counts the distinct words seen to its left (continuation count).</item>
/// <item>Per order, discounts D1, D2, D3+ come from the counts of counts (<see cref="KneserNeyDiscounts"/>).</item>
/// <item>p(w | h) = (a(hw) − D(a(hw))) / Σₓ a(hx) + γ(h) p(w | h′), with h′ = h without its oldest word and
/// γ(h) = (D1 N₁(h•) + D2 N₂(h•) + D3+ N₃₊(h•)) / Σₓ a(hx). Unigrams interpolate with the uniform distribution over
/// the vocabulary (every word, <c>&lt;/s&gt;</c> and <c>&lt;unk&gt;</c>; not <c>&lt;s&gt;</c>), which is where
/// <c>&lt;unk&gt;</c> gets its small probability.</item>
/// <item>The ARPA back-off weight of h is γ(h): for a word never seen after h the interpolated probability is exactly
/// γ(h) p(w | h′), so reading the file with ordinary back-off gives the interpolated distribution.</item>
/// </list>
/// </remarks>
/// <example>
/// <code>
/// var builder = new KneserNeyBuilder(order: 4);
/// foreach (var line in File.ReadLines("text.txt")) builder.AddSentence(line);
/// builder.Build().Save("lm.arpa");
/// </code>
/// </example>
public sealed class KneserNeyBuilder
{
    private const int Begin = 0, End = 1;

    private readonly TextNormalizer _normalizer;
    private readonly WordIds _words = new(NGramLanguageModel.SentenceBegin, NGramLanguageModel.SentenceEnd, NGramLanguageModel.Unknown);
    private readonly Dictionary<NGramKey, long> _rawCounts = []; // the longest n-gram ending at each position

    /// <summary>Creates a builder for models of order <paramref name="order"/> (≥ 1).</summary>
    /// <param name="order">The highest n-gram order.</param>
    /// <param name="normalizer">Text normalisation (default: <see cref="TextNormalizer.Default"/>, upper case).</param>
    public KneserNeyBuilder(int order, TextNormalizer? normalizer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        Order = order;
        _normalizer = normalizer ?? TextNormalizer.Default;
    }

    /// <summary>The highest n-gram order.</summary>
    public int Order { get; }

    /// <summary>Sentences added that held at least one word after normalisation.</summary>
    public long Sentences { get; private set; }

    /// <summary>Words counted (sentence markers excluded).</summary>
    public long Tokens { get; private set; }

    /// <summary>Normalises <paramref name="text"/> and counts it as one sentence (ignored when it holds no word).</summary>
    public void AddSentence(string text)
    {
        var words = SplitWords(_normalizer.Normalize(text));
        if (words.Length == 0)
            return;
        var padded = new int[words.Length + 2];
        padded[0] = Begin;
        for (int i = 0; i < words.Length; i++)
            padded[i + 1] = Intern(words[i]);
        padded[^1] = End;
        for (int j = 1; j < padded.Length; j++)
        {
            int start = Math.Max(0, j - Order + 1);
            var key = new NGramKey(padded[start..(j + 1)]);
            _rawCounts[key] = _rawCounts.GetValueOrDefault(key) + 1;
        }
        Sentences++;
        Tokens += words.Length;
    }

    /// <summary>Estimates the model from the sentences added so far.</summary>
    /// <exception cref="InvalidOperationException">No sentence with a word was added.</exception>
    public ArpaModel Build()
    {
        if (Sentences == 0)
            throw new InvalidOperationException("no sentence with a word was added");
        var adjusted = AdjustedCounts();
        var discounts = adjusted.Select(Discounts).ToArray();
        var contexts = new Dictionary<NGramKey, ContextStatistics>[Order + 1];
        for (int n = 1; n <= Order; n++)
            contexts[n] = ContextTotals(adjusted[n], discounts[n]);

        // Unigrams interpolate with the uniform distribution over every word but <s>.
        var probabilities = new Dictionary<NGramKey, double>[Order + 1];
        var root = contexts[1][new NGramKey([])];
        double gammaRoot = root.Gamma(discounts[1]);
        probabilities[1] = [];
        for (int w = 0; w < _words.Count; w++)
        {
            if (w == Begin)
                continue;
            var key = new NGramKey([w]);
            long count = adjusted[1].GetValueOrDefault(key);
            probabilities[1][key] = (count - discounts[1].For(count)) / root.Total + gammaRoot / (_words.Count - 1);
        }
        for (int n = 2; n <= Order; n++)
        {
            probabilities[n] = new Dictionary<NGramKey, double>(adjusted[n].Count);
            foreach (var (key, count) in adjusted[n])
            {
                var context = contexts[n][key.Prefix];
                probabilities[n][key] = (count - discounts[n].For(count)) / context.Total
                    + context.Gamma(discounts[n]) * probabilities[n - 1][key.Suffix];
            }
        }
        return ToArpa(probabilities, contexts, discounts);
    }

    /// <summary>The discounts used for each order (index 0 = unigrams) by the model <see cref="Build"/> returns.</summary>
    public IReadOnlyList<KneserNeyDiscounts> ComputeDiscounts() => AdjustedCounts().Skip(1).Select(Discounts).ToArray();

    private Dictionary<NGramKey, long>[] AdjustedCounts()
    {
        var adjusted = new Dictionary<NGramKey, long>[Order + 1];
        for (int n = 1; n <= Order; n++)
            adjusted[n] = [];
        // Highest order, and n-grams that start at <s> (nothing can precede them): raw counts.
        foreach (var (key, count) in _rawCounts)
            adjusted[key.Length][key] = count;
        // Lower orders: the number of distinct words seen to the left.
        for (int n = Order - 1; n >= 1; n--)
        {
            foreach (var key in adjusted[n + 1].Keys)
            {
                var suffix = key.Suffix;
                adjusted[n][suffix] = adjusted[n].GetValueOrDefault(suffix) + 1;
            }
        }
        return adjusted;
    }

    private static KneserNeyDiscounts Discounts(Dictionary<NGramKey, long>? counts)
    {
        if (counts is null)
            return default;
        var t = new long[5];
        foreach (var count in counts.Values)
        {
            if (count <= 4)
                t[count]++;
        }
        return KneserNeyDiscounts.FromCountsOfCounts(t[1], t[2], t[3], t[4]);
    }

    private static Dictionary<NGramKey, ContextStatistics> ContextTotals(Dictionary<NGramKey, long> counts, KneserNeyDiscounts discounts)
    {
        var contexts = new Dictionary<NGramKey, ContextStatistics>();
        foreach (var (key, count) in counts)
        {
            var prefix = key.Prefix;
            var statistics = contexts.GetValueOrDefault(prefix);
            contexts[prefix] = statistics.Add(count);
        }
        return contexts;
    }

    private ArpaModel ToArpa(Dictionary<NGramKey, double>[] probabilities, Dictionary<NGramKey, ContextStatistics>[] contexts,
        KneserNeyDiscounts[] discounts)
    {
        double Backoff(NGramKey key)
        {
            int next = key.Length + 1;
            return next <= Order && contexts[next].TryGetValue(key, out var statistics) ? Math.Log10(statistics.Gamma(discounts[next])) : 0;
        }

        var orders = new List<IReadOnlyList<ArpaEntry>>();
        for (int n = 1; n <= Order; n++)
        {
            var entries = probabilities[n].Select(p => new ArpaEntry(p.Key.Words.Select(w => _words[w]).ToArray(), Math.Log10(p.Value), Backoff(p.Key))).ToList();
            if (n == 1)
                entries.Add(new ArpaEntry([NGramLanguageModel.SentenceBegin], -99, Backoff(new NGramKey([Begin]))));
            entries.Sort((a, b) => string.CompareOrdinal(string.Join(' ', a.Words), string.Join(' ', b.Words)));
            orders.Add(entries);
        }
        return new ArpaModel(orders);
    }

    private int Intern(string word) => _words.Intern(word);

    private static string[] SplitWords(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
