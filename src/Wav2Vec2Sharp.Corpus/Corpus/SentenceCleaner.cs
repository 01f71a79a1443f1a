using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// Turns raw text into sentences a speech engine reads exactly as written: lower-case words of the letters a–z and
/// inner apostrophes. Text the engine would read differently from its letters (numbers, symbols, abbreviations) is
/// rejected rather than rewritten, so the transcript always matches the audio.
/// </summary>
internal static partial class SentenceCleaner
{
    /// <summary>Characters an engine reads aloud as words (<c>&amp;</c> "and", <c>%</c> "percent") or that mark code, paths and markup.</summary>
    private const string RejectedSymbols = "@#$%&*+=<>/\\|_{}[]~^";

    private static readonly TextNormalizer Normalizer = new(new TextNormalizerOptions
    {
        Case = LetterCase.Lower,
        KeepDigits = false,
        KeepApostrophes = true,
    });

    /// <summary>See <see cref="SentenceSource.Clean"/>.</summary>
    public static string? Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber)
                return null;
            if (rune.IsBmp && RejectedSymbols.Contains((char)rune.Value))
                return null;
        }
        if (DottedWord().IsMatch(text))
            return null;

        var normalized = Normalizer.Normalize(text);
        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < SentenceSource.MinWords || words.Length > SentenceSource.MaxWords)
            return null;
        foreach (var word in words)
        {
            if (!IsSpeakableWord(word))
                return null;
        }
        return string.Join(' ', words);
    }

    /// <summary>See <see cref="SentenceSource.SplitSentences"/>.</summary>
    public static IEnumerable<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var flat = Whitespace().Replace(text, " ").Trim();
        if (flat.Length == 0)
            yield break;
        foreach (var part in SentenceEnd().Split(flat))
        {
            if (part.Length > 0)
                yield return part;
        }
    }

    /// <summary>A word of a–z with apostrophes only between letters, at most <see cref="SentenceSource.MaxWordLength"/> letters, with a vowel (so <c>mr</c>, <c>st</c>, <c>xyzzy</c>… are spelt out, and rejected).</summary>
    private static bool IsSpeakableWord(string word)
    {
        int letters = 0;
        bool vowel = false;
        for (int i = 0; i < word.Length; i++)
        {
            char c = word[i];
            if (c is >= 'a' and <= 'z')
            {
                letters++;
                vowel |= c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';
            }
            else if (c != '\'' || i == 0 || i == word.Length - 1)
            {
                return false;
            }
        }
        return vowel && letters <= SentenceSource.MaxWordLength;
    }

    /// <summary>A letter, a full stop and a letter: abbreviations (<c>e.g.</c>, <c>U.S.</c>), host names, file names.</summary>
    [GeneratedRegex(@"\p{L}\.\p{L}")]
    private static partial Regex DottedWord();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>White space after <c>.</c>, <c>!</c> or <c>?</c>, possibly followed by closing quotes or brackets.</summary>
    [GeneratedRegex(@"(?<=[.!?][""'\)\]\u2019\u201D]*)\s+")]
    private static partial Regex SentenceEnd();
}
