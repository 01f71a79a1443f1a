namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>
/// A back-off n-gram language model of any order, as stored in an ARPA file (KenLM <c>lmplz</c>, SRILM <c>ngram-count</c>).
/// Read-only after loading, so one instance can score from many threads at once.
/// </summary>
/// <remarks>
/// <para><b>Scoring</b> (ARPA back-off): log10 P(w | h₁…h_k) is the log10 probability of the longest listed n-gram
/// h_i…h_k w, plus the back-off weights of the longer histories h_j…h_k (j &lt; i) that were tried and missed (a
/// history that is not listed has weight 0). Words the model does not know are scored as <c>&lt;unk&gt;</c>; a model
/// without <c>&lt;unk&gt;</c> gives it log10 probability −100, as KenLM does.</para>
/// <para><b>Storage</b>: word strings are interned to ids; every listed n-gram (and every history that prefixes one)
/// is a node of a trie whose edges live in one hash table keyed by (parent node, word id) packed in a 64-bit key, with
/// probabilities and back-off weights in flat arrays indexed by node.</para>
/// </remarks>
/// <example>
/// <code>
/// var lm = NGramLanguageModel.Load("lm.arpa");
/// double log10 = lm.ScoreSentence(["THE", "CAT", "SAT"]);         // includes &lt;s&gt; context and &lt;/s&gt;
/// var (p, next) = lm.Score(lm.BeginSentenceState, lm.GetId("THE")); // stateful, for decoders
/// </code>
/// </example>
public sealed class NGramLanguageModel
{
    /// <summary>Log10 probability given to <c>&lt;unk&gt;</c> when the file does not list it (KenLM's default).</summary>
    public const double MissingUnknownLog10Probability = -100;

    private readonly string[] _words;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<long, int> _children;
    private readonly double[] _log10Probability; // NaN: a history-only node, not a listed n-gram
    private readonly double[] _log10Backoff;
    private readonly int[] _counts;

    internal NGramLanguageModel(string source, string[] words, Dictionary<long, int> children, double[] log10Probability,
        double[] log10Backoff, int[] counts)
    {
        Source = source;
        _words = words;
        _ids = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
            _ids[words[i]] = i;
        _children = children;
        _log10Probability = log10Probability;
        _log10Backoff = log10Backoff;
        _counts = counts;
        UnknownId = _ids[Unknown];
        BeginId = _ids.GetValueOrDefault(SentenceBegin, -1);
        EndId = _ids.GetValueOrDefault(SentenceEnd, -1);
    }

    /// <summary>The unknown-word token.</summary>
    public const string Unknown = "<unk>";

    /// <summary>The sentence-begin token (a history only, never predicted).</summary>
    public const string SentenceBegin = "<s>";

    /// <summary>The sentence-end token.</summary>
    public const string SentenceEnd = "</s>";

    /// <summary>Where the model was read from (a path, or a name given by the caller).</summary>
    public string Source { get; }

    /// <summary>The highest n-gram order.</summary>
    public int Order => _counts.Length;

    /// <summary>Number of n-grams listed per order (index 0 = unigrams), as in the <c>\data\</c> header.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>The vocabulary, by id (includes <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c> and <c>&lt;unk&gt;</c>).</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>Id of <c>&lt;unk&gt;</c>.</summary>
    public int UnknownId { get; }

    /// <summary>Id of <c>&lt;s&gt;</c>, or −1 when the model does not list it.</summary>
    public int BeginId { get; }

    /// <summary>Id of <c>&lt;/s&gt;</c>, or −1 when the model does not list it.</summary>
    public int EndId { get; }

    /// <summary>The history at the start of a sentence: <c>&lt;s&gt;</c> (empty when the model has no <c>&lt;s&gt;</c>).</summary>
    public LmState BeginSentenceState => BeginId < 0 ? LmState.Empty : new LmState([BeginId]);

    /// <summary>Reads an ARPA file.</summary>
    /// <exception cref="ArpaFormatException">The file is missing or malformed (the message names the file and line).</exception>
    public static NGramLanguageModel Load(string path)
    {
        if (!File.Exists(path))
            throw new ArpaFormatException(Directory.Exists(path) ? $"{path} is a folder, not an ARPA file." : $"{path}: file not found.");
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return ArpaReader.Read(reader, path);
    }

    /// <summary>Reads ARPA text from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="ArpaFormatException">The text is malformed.</exception>
    public static NGramLanguageModel Read(TextReader reader, string source) => ArpaReader.Read(reader, source);

    /// <summary>Whether the model lists <paramref name="word"/>.</summary>
    public bool Contains(string word) => _ids.ContainsKey(word);

    /// <summary>The id of <paramref name="word"/>, or <see cref="UnknownId"/> for a word the model does not know.</summary>
    public int GetId(string word) => _ids.TryGetValue(word, out int id) ? id : UnknownId;

    /// <summary>
    /// log10 P(<paramref name="word"/> | <paramref name="state"/>) and the history after it (the last order − 1 words;
    /// empty after <c>&lt;/s&gt;</c>).
    /// </summary>
    public (double Log10Probability, LmState Next) Score(LmState state, int word)
    {
        var history = state.Words;
        double log10 = Log10Probability(history, word);
        if (word == EndId || Order == 1)
            return (log10, LmState.Empty);
        int keep = Math.Min(history.Length, Order - 2);
        var next = new int[keep + 1];
        history[(history.Length - keep)..].CopyTo(next);
        next[keep] = word;
        return (log10, new LmState(next));
    }

    /// <summary>log10 P(<paramref name="word"/> | <paramref name="history"/>) by ARPA back-off; history oldest first.</summary>
    public double Log10Probability(ReadOnlySpan<int> history, int word)
    {
        if ((uint)word >= (uint)_words.Length)
            word = UnknownId;
        if (history.Length > Order - 1)
            history = history[(history.Length - (Order - 1))..];
        double backoff = 0;
        for (int start = 0; start <= history.Length; start++)
        {
            // Try the n-gram history[start..] + word; on a miss add the weight of history[start..] (0 if not listed).
            int context = Find(history[start..]);
            if (context < 0)
                continue;
            if (_children.TryGetValue(Key(context, word), out int node) && !double.IsNaN(_log10Probability[node]))
                return _log10Probability[node] + backoff;
            backoff += _log10Backoff[context];
        }
        return MissingUnknownLog10Probability + backoff; // only reached when even the unigram is absent
    }

    /// <summary>log10 P(<paramref name="word"/> | <paramref name="history"/>) for word strings (unknown words as <c>&lt;unk&gt;</c>).</summary>
    public double Log10Probability(IEnumerable<string> history, string word) =>
        Log10Probability(history.Select(GetId).ToArray(), GetId(word));

    /// <summary>
    /// log10 probability of a sentence: each word given <c>&lt;s&gt;</c> and the words before it, then
    /// <c>&lt;/s&gt;</c> when <paramref name="includeEnd"/>.
    /// </summary>
    public double ScoreSentence(IEnumerable<string> words, bool includeEnd = true)
    {
        var state = BeginSentenceState;
        double total = 0;
        foreach (var word in words)
        {
            (double log10, state) = Score(state, GetId(word));
            total += log10;
        }
        if (includeEnd && EndId >= 0)
            total += Score(state, EndId).Log10Probability;
        return total;
    }

    /// <summary>The back-off weight (log10) of a history, 0 when it is not listed.</summary>
    public double Log10Backoff(IEnumerable<string> history)
    {
        int node = Find(history.Select(GetId).ToArray());
        return node < 0 ? 0 : _log10Backoff[node];
    }

    private int Find(ReadOnlySpan<int> words)
    {
        int node = 0;
        foreach (var word in words)
        {
            if (!_children.TryGetValue(Key(node, word), out node))
                return -1;
        }
        return node;
    }

    internal static long Key(int parent, int word) => ((long)parent << 32) | (uint)word;
}
