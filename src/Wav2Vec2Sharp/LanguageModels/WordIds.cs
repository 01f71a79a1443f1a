namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>Interned words: each distinct word gets the next integer id, in order of first appearance.</summary>
internal sealed class WordIds
{
    private readonly List<string> _words = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>Starts with <paramref name="initial"/> as ids 0, 1, ….</summary>
    public WordIds(params string[] initial)
    {
        foreach (var word in initial)
            Intern(word);
    }

    /// <summary>Words by id.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>Number of words.</summary>
    public int Count => _words.Count;

    /// <summary>The word with id <paramref name="id"/>.</summary>
    public string this[int id] => _words[id];

    /// <summary>Whether <paramref name="word"/> has an id.</summary>
    public bool Contains(string word) => _ids.ContainsKey(word);

    /// <summary>The id of <paramref name="word"/>, if it has one.</summary>
    public bool TryGetId(string word, out int id) => _ids.TryGetValue(word, out id);

    /// <summary>The id of <paramref name="word"/>, assigning the next one when it is new.</summary>
    public int Intern(string word)
    {
        if (!_ids.TryGetValue(word, out int id))
        {
            id = _words.Count;
            _words.Add(word);
            _ids.Add(word, id);
        }
        return id;
    }
}
