using System.Text;
using Wav2Vec2Sharp.LanguageModels;

namespace Wav2Vec2Sharp.Decoding;

/// <summary>
/// The text side of the beam search: what extending a prefix by one token adds to its score (language model, word
/// bonus, unknown-word offset, hotwords) and whether the lexicon allows it. Read-only, shared by threads.
/// </summary>
internal sealed class BeamScorer
{
    private readonly Vocabulary _vocabulary;
    private readonly NGramLanguageModel? _lm;
    private readonly BeamSearchOptions _options;
    private readonly CharacterTrie? _lexicon, _lmWords, _hotwords;
    private readonly int[] _tokenLmIds; // character LM: the LM id of each vocabulary token
    private readonly double _lmWeight; // α · ln 10: log10 LM scores to weighted natural logs

    public BeamScorer(Vocabulary vocabulary, NGramLanguageModel? lm, BeamSearchOptions options)
    {
        _vocabulary = vocabulary;
        _lm = lm;
        _options = options;
        Delimiter = vocabulary.TryGetId(vocabulary.WordDelimiter, out int delimiter) ? delimiter : -1;
        _lmWeight = options.Alpha * Math.Log(10);
        if (options.Lexicon is { } lexicon)
            _lexicon = new CharacterTrie(lexicon, Spell);
        if (lm is not null && options.LanguageModelUnit == LanguageModelUnit.Word && _lexicon is null)
            _lmWords = new CharacterTrie(lm.Words.Where(w => w is not (NGramLanguageModel.SentenceBegin or NGramLanguageModel.SentenceEnd or NGramLanguageModel.Unknown)), Spell);
        if (options.Hotwords is { Count: > 0 } hotwords)
            _hotwords = new CharacterTrie(hotwords, Spell);
        _tokenLmIds = lm is not null && options.LanguageModelUnit == LanguageModelUnit.Character
            ? Enumerable.Range(0, vocabulary.Count).Select(id => LmId(vocabulary[id])).ToArray()
            : [];
    }

    /// <summary>Id of the word delimiter, or −1.</summary>
    public int Delimiter { get; }

    public BeamPrefix Root() => new(null, -1)
    {
        LmState = _lm?.BeginSentenceState ?? default,
        LexiconNode = 0,
        VocabularyNode = 0,
        HotwordNode = 0,
    };

    /// <summary>The prefix <paramref name="parent"/> + <paramref name="token"/>, or null when the lexicon forbids it.</summary>
    public BeamPrefix? Extend(BeamPrefix parent, int token)
    {
        var child = parent.Extend(token);
        if (_vocabulary.IsSilent(token))
            return child; // <s>, </s>: printed as nothing, as greedy decoding does
        if (token == Delimiter)
        {
            if (parent.PartialWord.Length > 0 && !CompleteWord(child))
                return null;
            if (CharacterLm)
                ScoreWithLm(child, _tokenLmIds[token]);
            return child;
        }
        if (_lexicon is not null && (child.LexiconNode = _lexicon.Child(parent.LexiconNode, token)) < 0)
            return null;
        if (_lmWords is not null && parent.VocabularyNode >= 0 && (child.VocabularyNode = _lmWords.Child(parent.VocabularyNode, token)) < 0)
            child.Bonus += _options.UnknownWordOffset;
        if (CharacterLm)
            ScoreWithLm(child, _tokenLmIds[token]);
        if (_hotwords is not null)
        {
            int next = _hotwords.Child(parent.HotwordNode, token);
            if (next >= 0)
            {
                child.HotwordPartial += _options.HotwordWeight;
                child.Bonus += _options.HotwordWeight;
            }
            else
                RevokeHotword(child);
            child.HotwordNode = next;
        }
        child.PartialWord += _vocabulary[token];
        return child;
    }

    /// <summary>The final score of <paramref name="prefix"/> (last word completed, <c>&lt;/s&gt;</c> scored), or null when the lexicon rejects it.</summary>
    public double? Finish(BeamPrefix prefix)
    {
        var end = prefix.Extend(prefix.Token);
        end.Blank = prefix.Blank;
        end.NonBlank = prefix.NonBlank;
        if (prefix.PartialWord.Length > 0 && !CompleteWord(end))
            return null;
        if (_hotwords is not null && !_hotwords.IsEnd(end.HotwordNode))
            RevokeHotword(end);
        if (_lm is not null && _lm.EndId >= 0)
            ScoreWithLm(end, _lm.EndId);
        return end.Score;
    }

    /// <summary>The transcript of a prefix: delimiters as single spaces, silent tokens dropped, trimmed.</summary>
    public string Text(BeamPrefix prefix)
    {
        var tokens = new List<int>(prefix.Length);
        for (var p = prefix; p.Parent is not null; p = p.Parent)
            tokens.Add(p.Token);
        tokens.Reverse();
        var text = new StringBuilder();
        foreach (var id in tokens)
        {
            if (id == Delimiter)
            {
                if (text.Length > 0 && text[^1] != ' ')
                    text.Append(' ');
            }
            else if (!_vocabulary.IsSilent(id))
                text.Append(_vocabulary[id]);
        }
        var result = text.ToString().Trim();
        return _vocabulary.LowerCaseOutput ? result.ToLowerInvariant() : result;
    }

    private bool CharacterLm => _lm is not null && _options.LanguageModelUnit == LanguageModelUnit.Character;

    // The word in progress ends (delimiter or end of utterance): lexicon check, word LM, β, hotword bookkeeping.
    private bool CompleteWord(BeamPrefix child)
    {
        if (_lexicon is not null && !_lexicon.IsEnd(child.LexiconNode))
            return false;
        if (_lm is not null && _options.LanguageModelUnit == LanguageModelUnit.Word)
            ScoreWithLm(child, LmId(child.PartialWord));
        child.Bonus += _options.Beta;
        if (_hotwords is not null)
        {
            int node = child.HotwordNode;
            if (_hotwords.IsEnd(node))
                child.HotwordPartial = 0; // a whole hotword: keep its bonus
            int next = _hotwords.Child(node, Delimiter); // a phrase may go on
            if (next < 0)
            {
                RevokeHotword(child);
                next = 0;
            }
            child.HotwordNode = next;
        }
        child.PartialWord = "";
        child.LexiconNode = 0;
        child.VocabularyNode = 0;
        return true;
    }

    private void ScoreWithLm(BeamPrefix child, int lmId)
    {
        var (log10, next) = _lm!.Score(child.LmState, lmId);
        child.Bonus += _lmWeight * log10;
        child.LmState = next;
    }

    private static void RevokeHotword(BeamPrefix child)
    {
        child.Bonus -= child.HotwordPartial;
        child.HotwordPartial = 0;
    }

    private int LmId(string word)
    {
        var lm = _lm!;
        if (lm.Contains(word))
            return lm.GetId(word);
        return lm.GetId(lm.Contains(word.ToUpperInvariant()) ? word.ToUpperInvariant() : word.ToLowerInvariant());
    }

    // Token ids of a word or phrase (spaces become the delimiter); null when a character has no token.
    private int[]? Spell(string entry)
    {
        var tokens = new List<int>();
        foreach (var word in entry.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (tokens.Count > 0)
            {
                if (Delimiter < 0)
                    return null;
                tokens.Add(Delimiter);
            }
            foreach (var rune in word.EnumerateRunes())
            {
                var symbol = rune.ToString();
                if (_vocabulary.TryGetId(symbol, out int id) || _vocabulary.TryGetId(symbol.ToUpperInvariant(), out id)
                    || _vocabulary.TryGetId(symbol.ToLowerInvariant(), out id))
                    tokens.Add(id);
                else
                    return null;
            }
        }
        return tokens.ToArray();
    }
}
