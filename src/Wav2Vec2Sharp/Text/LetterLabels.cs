using System.Text;

namespace Wav2Vec2Sharp.Text;

/// <summary>
/// fairseq's letter label format (<c>.ltr</c> files): characters separated by spaces, each word followed by <c>|</c>,
/// e.g. <c>H E L L O | W O R L D |</c> for <c>HELLO WORLD</c>.
/// </summary>
public static class LetterLabels
{
    /// <summary>The <c>.ltr</c> line of <paramref name="text"/> (words split on whitespace; characters are code points).</summary>
    /// <example><c>LetterLabels.ToLetters("A MAN")</c> is <c>"A | M A N |"</c>; an empty text gives an empty line.</example>
    public static string ToLetters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = new StringBuilder(text.Length * 2 + 2);
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var rune in word.EnumerateRunes())
                line.Append(rune.ToString()).Append(' ');
            line.Append("| ");
        }
        return line.ToString().TrimEnd(' ');
    }

    /// <summary>The text of a <c>.ltr</c> line: tokens concatenated, <c>|</c> read as a word break, single spaces between words.</summary>
    /// <example><c>LetterLabels.FromLetters("A | M A N |")</c> is <c>"A MAN"</c>.</example>
    public static string FromLetters(string letters)
    {
        ArgumentNullException.ThrowIfNull(letters);
        var text = new StringBuilder(letters.Length / 2 + 1);
        bool pendingSpace = false;
        foreach (var token in letters.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "|")
            {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && text.Length > 0)
                text.Append(' ');
            pendingSpace = false;
            text.Append(token);
        }
        return text.ToString();
    }
}
