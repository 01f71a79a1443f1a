namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>
/// The babble pool of a set of utterances: a few of them, by their indices in the set (for training, chosen once by the
/// seed; for <c>w2v corpus augment</c>, spread evenly). An utterance is never mixed with itself: <see cref="For"/> leaves it out.
/// </summary>
internal sealed class BabblePool
{
    private readonly int[] _indices;
    private readonly float[][] _clips;

    /// <summary>A pool of the given utterances (manifest indices) and their audio.</summary>
    public BabblePool(IReadOnlyList<int> indices, IReadOnlyList<float[]> clips)
    {
        _indices = [.. indices];
        _clips = [.. clips];
    }

    /// <summary>Utterances in the pool.</summary>
    public int Count => _clips.Length;

    /// <summary>The pool for utterance <paramref name="utterance"/>: every clip but its own; null when that leaves none.</summary>
    public IReadOnlyList<float[]>? For(int utterance)
    {
        int own = Array.IndexOf(_indices, utterance);
        if (own < 0)
            return _clips.Length > 0 ? _clips : null;
        if (_clips.Length == 1)
            return null;
        var others = new float[_clips.Length - 1][];
        Array.Copy(_clips, 0, others, 0, own);
        Array.Copy(_clips, own + 1, others, own, _clips.Length - own - 1);
        return others;
    }
}
