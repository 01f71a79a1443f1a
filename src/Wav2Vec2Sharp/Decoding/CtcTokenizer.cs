using System.Text;

namespace Wav2Vec2Sharp.Decoding;

/// <summary>
/// Turns transcripts into CTC label ids and back, as Hugging Face's <c>Wav2Vec2CTCTokenizer</c> does: one id per
/// character (Unicode code point), each whitespace character → the word delimiter <c>|</c>, characters outside the
/// vocabulary → <c>&lt;unk&gt;</c>.
/// </summary>
/// <remarks>
/// No delimiter is added at the ends (unlike fairseq's <c>.ltr</c> files, see <see cref="Text.LetterLabels"/>). When the
/// vocabulary's <see cref="Vocabulary.LowerCaseOutput"/> (HF <c>do_lower_case</c>) is set, text is upper-cased before
/// lookup and decoded text lower-cased. <see cref="Decode"/> reads <em>label</em> sequences: unlike CTC decoding of
/// frame-wise predictions (<c>Decoding.GreedyCtcDecoder</c>) it does not merge repeated ids.
/// </remarks>
/// <example>
/// <code>
/// var tokenizer = new CtcTokenizer(vocabulary);
/// int[] ids = tokenizer.Encode("HELLO WORLD", out int unknown);
/// string text = tokenizer.Decode(ids); // "HELLO WORLD" when every letter is in the vocabulary
/// </code>
/// </example>
public sealed class CtcTokenizer
{
    private readonly int _delimiterId;
    private readonly int _unkId;

    /// <summary>Creates a tokenizer over <paramref name="vocabulary"/>, which must hold its word delimiter.</summary>
    /// <exception cref="ArgumentException">The vocabulary has no word-delimiter token.</exception>
    public CtcTokenizer(Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (!vocabulary.TryGetId(vocabulary.WordDelimiter, out _delimiterId))
            throw new ArgumentException($"The vocabulary has no word delimiter \"{vocabulary.WordDelimiter}\".", nameof(vocabulary));
        _unkId = vocabulary.TryGetId(vocabulary.UnkToken, out int unk) ? unk : -1;
        Vocabulary = vocabulary;
    }

    /// <summary>The vocabulary ids refer to.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The label ids of <paramref name="text"/>.</summary>
    public int[] Encode(string text) => Encode(text, out _);

    /// <summary>The label ids of <paramref name="text"/>, with the number of characters that were not in the vocabulary.</summary>
    /// <param name="text">Normalised text.</param>
    /// <param name="unknownCharacters">
    /// How many characters were not in the vocabulary: each became <c>&lt;unk&gt;</c>, or was left out when the
    /// vocabulary has no unknown token.
    /// </param>
    public int[] Encode(string text, out int unknownCharacters)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Vocabulary.LowerCaseOutput)
            text = text.ToUpperInvariant();
        var ids = new List<int>(text.Length);
        unknownCharacters = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
                ids.Add(_delimiterId);
            else if (Vocabulary.TryGetId(rune.ToString(), out int id))
                ids.Add(id);
            else
            {
                unknownCharacters++;
                if (_unkId >= 0)
                    ids.Add(_unkId);
            }
        }
        return ids.ToArray();
    }

    /// <summary>
    /// The text of a label sequence: pad, bos and eos dropped, the delimiter printed as a space, the ends trimmed;
    /// repeats are kept. Negative ids (such as the −100 that pads label batches) are skipped.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not below <see cref="Vocabulary.Count"/>.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        foreach (int id in ids)
        {
            if (id < 0)
                continue;
            if (id >= Vocabulary.Count)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Id {id} is outside the vocabulary of {Vocabulary.Count} tokens.");
            if (Vocabulary.IsSilent(id))
                continue;
            text.Append(id == _delimiterId ? " " : Vocabulary[id]);
        }
        var result = text.ToString().Trim(' ');
        return Vocabulary.LowerCaseOutput ? result.ToLowerInvariant() : result;
    }
}
