namespace Wav2Vec2Sharp.Demo;

/// <summary>What the demo's speech says, and so what its recogniser must learn.</summary>
public enum DemoTask
{
    /// <summary>Open-vocabulary English sentences from Debian's fortunes and WordNet (tens of thousands of words).</summary>
    Sentences,

    /// <summary>
    /// Connected digits in the manner of TIDIGITS: random strings of 4–7 digits, eleven words (<c>zero</c>, <c>oh</c>,
    /// <c>one</c> … <c>nine</c>); see <see cref="Corpus.SentenceSource.ConnectedDigits"/>.
    /// </summary>
    Digits,
}
