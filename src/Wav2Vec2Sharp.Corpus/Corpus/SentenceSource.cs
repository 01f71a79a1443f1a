using System.Text;
using System.Text.RegularExpressions;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Randomness;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// Clean English sentences for a synthetic corpus, read from Debian's <c>fortunes</c> files and WordNet's gloss examples
/// (<c>wordnet-base</c>), or from a text file of the user's. Every sentence is lower case, holds only the letters a–z,
/// spaces and apostrophes inside words, has <see cref="MinWords"/>–<see cref="MaxWords"/> words, and occurs once.
/// </summary>
/// <remarks>
/// <para><see cref="Sentences"/> are in a deterministic order (files in ordinal order of their paths, sentences in file
/// order, each kept at its first occurrence); <see cref="Shuffled"/> gives a seeded permutation that is the same on
/// every platform and .NET version.</para>
/// <para>Text is split into sentences at white space after <c>.</c>, <c>!</c> or <c>?</c> (<see cref="SplitSentences"/>),
/// then each sentence is cleaned by <see cref="Clean"/>, which rejects text a speech engine would not read letter for
/// letter (numbers, symbols, abbreviations) instead of rewriting it.</para>
/// </remarks>
/// <example>
/// <code>
/// var source = SentenceSource.FromSystem();              // fortunes + WordNet, or a CorpusException
/// IReadOnlyList&lt;string&gt; pool = source.Shuffled(seed: 1);
/// </code>
/// </example>
public sealed partial class SentenceSource
{
    /// <summary>The fewest words a sentence may have.</summary>
    public const int MinWords = 4;

    /// <summary>The most words a sentence may have.</summary>
    public const int MaxWords = 20;

    /// <summary>The most letters a word may have (longer "words" are nearly always code, URLs or run-together text).</summary>
    public const int MaxWordLength = 15;

    /// <summary>Where Debian's <c>fortunes</c> and <c>fortunes-min</c> packages install their files.</summary>
    public const string DefaultFortunesFolder = "/usr/share/games/fortunes";

    /// <summary>Where Debian's <c>wordnet-base</c> package installs the WordNet database.</summary>
    public const string DefaultWordNetFolder = "/usr/share/wordnet";

    private static readonly string[] WordNetDataFiles = ["data.adj", "data.adv", "data.noun", "data.verb"];

    private SentenceSource(IReadOnlyList<string> sentences, IReadOnlyList<string> origins)
    {
        Sentences = sentences;
        Origins = origins;
    }

    /// <summary>The cleaned, distinct sentences, in source order.</summary>
    public IReadOnlyList<string> Sentences { get; }

    /// <summary>The files (or other origins) the sentences came from, in the order they were read.</summary>
    public IReadOnlyList<string> Origins { get; }

    /// <summary>
    /// Reads every fortune file (a file without an extension directly in <paramref name="fortunesFolder"/>; the
    /// offensive <c>off/</c> folder is not read) and the quoted examples in WordNet's <c>data.adj</c>, <c>data.adv</c>,
    /// <c>data.noun</c> and <c>data.verb</c> glosses.
    /// </summary>
    /// <param name="fortunesFolder">The fortunes folder; <see cref="DefaultFortunesFolder"/> when null.</param>
    /// <param name="wordNetFolder">The WordNet folder; <see cref="DefaultWordNetFolder"/> when null.</param>
    /// <returns>The sentences of both sources, fortunes first.</returns>
    /// <exception cref="CorpusException">Neither source is installed, or they yield no usable sentence.</exception>
    public static SentenceSource FromSystem(string? fortunesFolder = null, string? wordNetFolder = null)
    {
        fortunesFolder ??= DefaultFortunesFolder;
        wordNetFolder ??= DefaultWordNetFolder;
        var builder = new Builder();
        if (Directory.Exists(fortunesFolder))
        {
            foreach (var file in Directory.EnumerateFiles(fortunesFolder).Where(f => !Path.GetFileName(f).Contains('.')).Order(StringComparer.Ordinal))
                builder.AddTexts(file, ReadFortunes(ReadText(file)));
        }
        foreach (var name in WordNetDataFiles)
        {
            var file = Path.Combine(wordNetFolder, name);
            if (File.Exists(file))
                builder.AddTexts(file, ReadWordNetExamples(ReadText(file)));
        }
        if (builder.Sentences.Count == 0)
        {
            throw new CorpusException(
                $"No sentence source found: neither {fortunesFolder} nor {wordNetFolder} holds usable text; "
                + "install fortunes or wordnet-base, or pass --text FILE (apt-get install fortunes wordnet-base).");
        }
        return builder.Build();
    }

    /// <summary>
    /// Reads a UTF-8 text file of the user's: each line is split into sentences on its own (a sentence does not continue
    /// onto the next line), so a file of one sentence per line, with or without final punctuation, works.
    /// </summary>
    /// <param name="path">The text file.</param>
    /// <returns>Its usable sentences.</returns>
    /// <exception cref="CorpusException">The file is missing or unreadable, or holds no usable sentence.</exception>
    public static SentenceSource FromTextFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new CorpusException($"The text file {path} does not exist.");
        var builder = new Builder();
        builder.AddTexts(path, ReadText(path).Split('\n'));
        if (builder.Sentences.Count == 0)
        {
            throw new CorpusException(
                $"The text file {path} holds no usable sentence (each needs {MinWords}-{MaxWords} words of letters only, without digits or symbols).");
        }
        return builder.Build();
    }

    /// <summary>Cleans <paramref name="texts"/>, each split into sentences with <see cref="SplitSentences"/>.</summary>
    /// <param name="texts">Paragraphs or sentences.</param>
    /// <param name="origin">What to call their origin in <see cref="Origins"/>.</param>
    /// <returns>The usable sentences, possibly none.</returns>
    public static SentenceSource FromTexts(IEnumerable<string> texts, string origin = "(text)")
    {
        ArgumentNullException.ThrowIfNull(texts);
        var builder = new Builder();
        builder.AddTexts(origin, texts);
        return builder.Build();
    }

    /// <summary>The most digits a connected-digit string from <see cref="ConnectedDigits"/> may have.</summary>
    public const int MaxDigits = 7;

    /// <summary>The most strings <see cref="ConnectedDigits"/> makes in one call.</summary>
    public const int MaxDigitStrings = 100_000;

    /// <summary>
    /// Random connected-digit strings in the manner of TIDIGITS, a small-vocabulary task: each string has
    /// <see cref="MinWords"/>–<see cref="MaxDigits"/> digits drawn uniformly, spelled as words (<c>one</c> … <c>nine</c>),
    /// with zero spoken as <c>zero</c> or <c>oh</c> at even odds, so the vocabulary is eleven words.
    /// </summary>
    /// <param name="count">How many distinct strings to make (at most <see cref="MaxDigitStrings"/>).</param>
    /// <param name="seed">The seed; the same seed gives the same strings on every platform.</param>
    /// <returns>The strings, distinct, in the order drawn; <see cref="Origins"/> names the generator and seed.</returns>
    /// <example><c>SentenceSource.ConnectedDigits(3, seed: 1).Sentences</c> is three strings such as <c>"four oh nine one two"</c>.</example>
    public static SentenceSource ConnectedDigits(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxDigitStrings);
        string[] names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        var random = SplitMix64.FromKeys(seed, 0xD1617);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var strings = new List<string>(count);
        var words = new List<string>(MaxDigits);
        while (strings.Count < count)
        {
            words.Clear();
            int length = MinWords + random.NextInt(MaxDigits - MinWords + 1);
            for (int i = 0; i < length; i++)
            {
                int digit = random.NextInt(10);
                words.Add(digit == 0 && random.NextInt(2) == 0 ? "oh" : names[digit]);
            }
            var text = string.Join(' ', words);
            if (seen.Add(text))
                strings.Add(text);
        }
        return new SentenceSource(strings, [FormattableString.Invariant($"connected digits (seed {seed})")]);
    }

    /// <summary>
    /// Cleans one sentence: typographic apostrophes become <c>'</c>, text is NFKC-normalised and lower-cased,
    /// punctuation is removed (dashes and hyphens separate words; apostrophes are kept only inside words), and white
    /// space is collapsed.
    /// </summary>
    /// <param name="sentence">Raw text of one sentence.</param>
    /// <returns>
    /// The clean sentence, or <see langword="null"/> when it must not be used: it holds a digit or one of
    /// <c>@ # $ % &amp; * + = &lt; &gt; / \ | _ { } [ ] ~ ^</c> (read aloud as words, or a sign of code); a full stop
    /// between letters (<c>e.g.</c>, <c>www.debian.org</c>); a letter outside a–z after lower-casing; a word without a
    /// vowel (abbreviations such as <c>Mr</c>) or longer than <see cref="MaxWordLength"/> letters; or fewer than
    /// <see cref="MinWords"/> or more than <see cref="MaxWords"/> words.
    /// </returns>
    /// <example><c>Clean("“Don’t PANIC,” he said—quietly.")</c> is <c>"don't panic he said quietly"</c>.</example>
    public static string? Clean(string sentence) => SentenceCleaner.Clean(sentence);

    /// <summary>
    /// Splits text into sentences at white space that follows <c>.</c>, <c>!</c> or <c>?</c> (and any closing quotes or
    /// brackets after them); line breaks and runs of white space become single spaces. The parts are not cleaned.
    /// </summary>
    /// <param name="text">Any text.</param>
    /// <returns>The sentences, trimmed, in order.</returns>
    public static IEnumerable<string> SplitSentences(string text) => SentenceCleaner.Split(text);

    /// <summary>A seeded permutation of <see cref="Sentences"/> (SplitMix64 Fisher–Yates, the same on every platform).</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>A new list.</returns>
    public IReadOnlyList<string> Shuffled(int seed)
    {
        var copy = Sentences.ToArray();
        SplitMix64.FromKeys(seed, 0x5E47E4CE).Shuffle(copy.AsSpan());
        return copy;
    }

    /// <summary>
    /// The fortunes of a <c>fortune</c> file (separated by lines holding only <c>%</c>), each with its attribution lines
    /// (starting with <c>--</c> or a dash) removed and its lines joined.
    /// </summary>
    internal static IEnumerable<string> ReadFortunes(string text)
    {
        var fortune = new StringBuilder();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim() == "%")
            {
                if (!string.IsNullOrWhiteSpace(fortune.ToString()))
                    yield return fortune.ToString();
                fortune.Clear();
                continue;
            }
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("--", StringComparison.Ordinal) || trimmed.StartsWith('\u2014') || trimmed.StartsWith('\u2013'))
                continue;
            fortune.Append(line).Append('\n');
        }
        if (!string.IsNullOrWhiteSpace(fortune.ToString()))
            yield return fortune.ToString();
    }

    /// <summary>The double-quoted usage examples in the glosses (after <c>|</c>) of a WordNet <c>data.*</c> file.</summary>
    internal static IEnumerable<string> ReadWordNetExamples(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("  ", StringComparison.Ordinal))
                continue; // the licence header
            int bar = line.IndexOf(" | ", StringComparison.Ordinal);
            if (bar < 0)
                continue;
            foreach (Match match in QuotedExample().Matches(line, bar))
                yield return match.Groups[1].Value;
        }
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CorpusException($"Cannot read the text file {path}: {e.Message}", e);
        }
    }

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedExample();

    /// <summary>Collects distinct clean sentences in order, with their origins.</summary>
    private sealed class Builder
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly List<string> _origins = [];

        public List<string> Sentences { get; } = [];

        public void AddTexts(string origin, IEnumerable<string> texts)
        {
            _origins.Add(origin);
            foreach (var text in texts)
            {
                foreach (var sentence in SentenceCleaner.Split(text))
                {
                    if (SentenceCleaner.Clean(sentence) is { } clean && _seen.Add(clean))
                        Sentences.Add(clean);
                }
            }
        }

        public SentenceSource Build() => new(Sentences.ToArray(), _origins.ToArray());
    }
}
