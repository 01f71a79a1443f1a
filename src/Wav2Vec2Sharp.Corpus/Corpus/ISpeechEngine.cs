namespace Wav2Vec2Sharp.Corpus;

/// <summary>Something that speaks a sentence into a WAV file (an external program, or a fake in tests).</summary>
internal interface ISpeechEngine
{
    /// <summary>A description of the engine's version; part of each utterance's cache key, so a new version re-synthesises.</summary>
    string Version { get; }

    /// <summary>Speaks <paramref name="text"/> as <paramref name="speaker"/> into the WAV file <paramref name="wavPath"/> (any rate, any channels).</summary>
    /// <exception cref="SpeechEngineException">The engine failed, timed out or wrote no audio.</exception>
    Task SynthesizeAsync(Speaker speaker, string text, string wavPath, CancellationToken cancellationToken);
}

/// <summary>An engine failure on one sentence: reported and skipped by the corpus synthesiser.</summary>
internal sealed class SpeechEngineException : Exception
{
    public SpeechEngineException(string message) : base(message) { }

    public SpeechEngineException(string message, Exception innerException) : base(message, innerException) { }
}
