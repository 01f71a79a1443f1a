namespace Wav2Vec2Sharp.Timestamps;

/// <summary>A transcript with word and character times.</summary>
/// <param name="Text">The transcript.</param>
/// <param name="Words">Its words, in order.</param>
/// <param name="Duration">Duration of the audio in seconds.</param>
public sealed record TimedTranscript(string Text, IReadOnlyList<TimedWord> Words, double Duration)
{
    /// <summary>Every character of every word, in order (word delimiters excluded).</summary>
    public IEnumerable<TimedToken> Characters => Words.SelectMany(w => w.Characters);
}
