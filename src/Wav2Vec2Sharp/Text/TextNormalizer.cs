using System.Globalization;
using System.Text;

namespace Wav2Vec2Sharp.Text;

/// <summary>
/// Normalises transcripts for a character-level CTC vocabulary: Unicode NFKC, one letter case, punctuation removed
/// (apostrophes inside words kept), single spaces between words.
/// </summary>
/// <remarks>
/// <para>The rules, applied in this order (the result is deterministic and does not depend on the current culture):</para>
/// <list type="number">
/// <item>Apostrophe look-alikes (<c>‘ ’ ‛ ʼ ′ ` ´</c>) become <c>'</c>; a lone UTF-16 surrogate becomes U+FFFD.</item>
/// <item>Unicode compatibility composition (NFKC): full-width forms, ligatures and superscripts become plain characters,
/// decomposed accents are composed. It uses the library's own Unicode 14.0 tables, so it works in
/// globalization-invariant mode and gives the same result on every platform.</item>
/// <item>Each character is then classified by its Unicode category:
///   letters and combining marks are kept;
///   digits and other numbers are kept or deleted (<see cref="TextNormalizerOptions.KeepDigits"/>);
///   an apostrophe is kept only between two kept characters (<c>don't</c>, <c>o'clock</c>), otherwise it separates words
///   (so <c>'tis</c> and <c>dogs'</c> lose it);
///   whitespace, dashes and hyphens, connectors (<c>_</c>), slashes and symbols (<c>+ = &amp; $ | …</c>) separate words;
///   all other punctuation (<c>. , ! ? ; : " “ ” « » ( )</c> …) and invisible format or control characters are deleted,
///   so <c>U.S.A.</c> becomes <c>USA</c>, as Hugging Face's fine-tuning examples do with their "characters to ignore";
///   only an ellipsis (two or more full stops, or <c>…</c>) separates words, so <c>wait...what</c> is two words.</item>
/// <item>Runs of separators become one space; the text is trimmed; letters are cased with the invariant culture's
/// one-to-one mappings (so <c>ß</c> stays <c>ß</c> in upper case).</item>
/// </list>
/// </remarks>
/// <example>
/// <code>
/// TextNormalizer.Default.Normalize("Hello, World!  It's 5 o’clock — “fine”.");  // "HELLO WORLD IT'S 5 O'CLOCK FINE"
/// </code>
/// </example>
public sealed class TextNormalizer
{
    private enum Kind { Keep, Apostrophe, Separator, Delete }

    /// <summary>Creates a normaliser with <paramref name="options"/> (<see cref="TextNormalizerOptions.Default"/> when null).</summary>
    public TextNormalizer(TextNormalizerOptions? options = null) => Options = options ?? TextNormalizerOptions.Default;

    /// <summary>A normaliser with the default options (upper case, digits and inner apostrophes kept).</summary>
    public static TextNormalizer Default { get; } = new();

    /// <summary>The settings in use.</summary>
    public TextNormalizerOptions Options { get; }

    /// <summary>Normalises <paramref name="text"/>.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The normalised text: words of kept characters separated by single spaces, possibly empty.</returns>
    public string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var runes = PrepareRunes(text);
        var output = new StringBuilder(text.Length);
        bool pendingSpace = false;
        for (int i = 0; i < runes.Length; i++)
        {
            switch (Classify(runes[i]))
            {
                case Kind.Keep:
                    if (pendingSpace && output.Length > 0)
                        output.Append(' ');
                    pendingSpace = false;
                    output.Append(runes[i].ToString());
                    break;
                case Kind.Apostrophe:
                    bool inner = Options.KeepApostrophes && output.Length > 0 && !pendingSpace
                        && i + 1 < runes.Length && Classify(runes[i + 1]) == Kind.Keep;
                    if (inner)
                        output.Append('\'');
                    else
                        pendingSpace = true;
                    break;
                case Kind.Separator:
                    pendingSpace = true;
                    break;
                case Kind.Delete when IsEllipsisDot(runes, i):
                    pendingSpace = true;
                    break;
            }
        }
        var result = output.ToString();
        return Options.Case switch
        {
            LetterCase.Upper => result.ToUpperInvariant(),
            LetterCase.Lower => result.ToLowerInvariant(),
            _ => result,
        };
    }

    private static Rune[] PrepareRunes(string text)
    {
        var mapped = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes()) // a lone surrogate is enumerated as U+FFFD
        {
            if (IsApostropheLike(rune.Value))
                mapped.Append('\'');
            else
                mapped.Append(rune.ToString());
        }
        return UnicodeNormalization.ToNfkc(mapped.ToString()).EnumerateRunes().ToArray();
    }

    /// <summary>A full stop next to another one: an ellipsis (<c>...</c>, and <c>…</c> after NFKC) separates words.</summary>
    private static bool IsEllipsisDot(Rune[] runes, int i) =>
        runes[i].Value == '.' && ((i > 0 && runes[i - 1].Value == '.') || (i + 1 < runes.Length && runes[i + 1].Value == '.'));

    private static bool IsApostropheLike(int c) =>
        c is '\'' or 0x2018 or 0x2019 or 0x201B or 0x02BC or 0x2032 or '`' or 0x00B4 or 0xFF07;

    private Kind Classify(Rune rune)
    {
        if (rune.Value == '\'')
            return Kind.Apostrophe;
        if (Rune.IsWhiteSpace(rune))
            return Kind.Separator;
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
                return Kind.Keep;
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                return Options.KeepDigits ? Kind.Keep : Kind.Delete;
            case UnicodeCategory.DashPunctuation:
            case UnicodeCategory.ConnectorPunctuation:
            case UnicodeCategory.MathSymbol:
            case UnicodeCategory.CurrencySymbol:
            case UnicodeCategory.ModifierSymbol:
            case UnicodeCategory.OtherSymbol:
            case UnicodeCategory.SpaceSeparator:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
                return Kind.Separator;
            default:
                return rune.Value is '/' or '\\' ? Kind.Separator : Kind.Delete;
        }
    }
}
