using System.Text;

namespace Wav2Vec2Sharp.Decoding;

/// <summary>
/// Builds a character vocabulary in the Hugging Face <c>Wav2Vec2CTCTokenizer</c> layout from normalised transcripts:
/// <c>&lt;pad&gt;</c>=0 (the CTC blank), <c>&lt;s&gt;</c>=1, <c>&lt;/s&gt;</c>=2, <c>&lt;unk&gt;</c>=3, <c>|</c>=4 (the word
/// delimiter), then the characters seen, most frequent first, ties in ordinal order.
/// </summary>
/// <remarks>
/// A character is a Unicode code point (as Python's <c>list(text)</c> splits it). Whitespace is never a token: it is what
/// <c>|</c> stands for. A literal <c>|</c> in the text is likewise counted as the delimiter, not as a character.
/// The result depends only on the multiset of characters, never on the order texts are added in.
/// </remarks>
/// <example>
/// <code>
/// var vocabulary = VocabularyBuilder.Build(["HELLO WORLD", "HELP"]);
/// // &lt;pad&gt; &lt;s&gt; &lt;/s&gt; &lt;unk&gt; | L E H O D P R W   (L×4; E, H, O×2; D, P, R, W×1, ties in ordinal order)
/// TokenizerFiles.Save("model", vocabulary);
/// </code>
/// </example>
public sealed class VocabularyBuilder
{
    /// <summary>The special tokens that open every vocabulary built here, in id order.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = ["<pad>", "<s>", "</s>", "<unk>", "|"];

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>How often each character has been seen so far.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Counts the characters of one normalised text.</summary>
    public void Add(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        foreach (var rune in normalizedText.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || rune.Value == '|')
                continue;
            var key = rune.ToString();
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Counts the characters of each text.</summary>
    public void AddRange(IEnumerable<string> normalizedTexts)
    {
        ArgumentNullException.ThrowIfNull(normalizedTexts);
        foreach (var text in normalizedTexts)
            Add(text);
    }

    /// <summary>The vocabulary of the characters counted so far.</summary>
    /// <param name="minCount">Characters seen fewer times are left out (they will encode as <c>&lt;unk&gt;</c>).</param>
    /// <param name="lowerCaseOutput">
    /// The HF <c>do_lower_case</c> flag: input is upper-cased before lookup and decoded text lower-cased. Leave it
    /// <see langword="false"/> when the texts were normalised to the case the model should print.
    /// </param>
    public Vocabulary ToVocabulary(int minCount = 1, bool lowerCaseOutput = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minCount);
        var characters = _counts
            .Where(kv => kv.Value >= minCount && !SpecialTokens.Contains(kv.Key))
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key);
        return new Vocabulary(SpecialTokens.Concat(characters).ToArray(), lowerCaseOutput: lowerCaseOutput);
    }

    /// <summary>Builds the vocabulary of <paramref name="normalizedTexts"/> in one call.</summary>
    /// <param name="normalizedTexts">Transcripts, already normalised (e.g. by <see cref="Text.TextNormalizer"/>).</param>
    /// <param name="minCount">Characters seen fewer times are left out.</param>
    public static Vocabulary Build(IEnumerable<string> normalizedTexts, int minCount = 1)
    {
        var builder = new VocabularyBuilder();
        builder.AddRange(normalizedTexts);
        return builder.ToVocabulary(minCount);
    }
}
