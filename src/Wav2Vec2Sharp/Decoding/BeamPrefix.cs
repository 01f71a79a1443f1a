using Wav2Vec2Sharp.LanguageModels;

namespace Wav2Vec2Sharp.Decoding;

/// <summary>
/// One labelling prefix of the CTC beam search: a node of the prefix tree (parent + last token) with its blank /
/// non-blank log-probabilities and the language-model, lexicon and hotword state of its text. Used by one thread.
/// </summary>
internal sealed class BeamPrefix
{
    public BeamPrefix(BeamPrefix? parent, int token)
    {
        Parent = parent;
        Token = token;
        Length = parent is null ? 0 : parent.Length + 1;
    }

    public BeamPrefix? Parent { get; }

    /// <summary>The last token (−1 for the empty prefix).</summary>
    public int Token { get; }

    public int Length { get; }

    /// <summary>log P(prefix, path ends in blank) and log P(prefix, path ends in its last token) up to this frame.</summary>
    public double Blank = double.NegativeInfinity, NonBlank = double.NegativeInfinity;

    public double NextBlank, NextNonBlank;

    /// <summary>The frame whose <see cref="NextBlank"/>/<see cref="NextNonBlank"/> are being accumulated.</summary>
    public int Stamp = -1;

    /// <summary>α · ln P_LM + β · words + hotword bonuses so far (the current hotword match's partial bonus included).</summary>
    public double Bonus;

    public LmState LmState;

    /// <summary>The characters of the word in progress (empty right after a delimiter).</summary>
    public string PartialWord = "";

    /// <summary>Position of the word in progress in the lexicon trie and in the LM-word trie (−1: outside).</summary>
    public int LexiconNode, VocabularyNode;

    /// <summary>Position in the hotword trie (0: at a word start, −1: not matching until the next word).</summary>
    public int HotwordNode;

    /// <summary>The bonus of the current, unfinished hotword match (taken back if it breaks).</summary>
    public double HotwordPartial;

    public double Acoustic => LogAdd(Blank, NonBlank);

    public double Score => Acoustic + Bonus;

    public BeamPrefix Extend(int token) => new(this, token)
    {
        Bonus = Bonus, LmState = LmState, PartialWord = PartialWord, LexiconNode = LexiconNode, VocabularyNode = VocabularyNode,
        HotwordNode = HotwordNode, HotwordPartial = HotwordPartial,
    };

    public static double LogAdd(double a, double b)
    {
        if (a < b)
            (a, b) = (b, a);
        return double.IsNegativeInfinity(b) ? a : a + Math.Log(1 + Math.Exp(b - a));
    }
}
