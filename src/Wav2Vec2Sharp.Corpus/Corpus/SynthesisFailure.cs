namespace Wav2Vec2Sharp.Corpus;

/// <summary>An utterance that could not be synthesised and was skipped.</summary>
/// <param name="Split">The split it belonged to.</param>
/// <param name="Index">Its position in the split's sequence of utterances.</param>
/// <param name="SpeakerId">The speaker (<see cref="Speaker.Id"/>).</param>
/// <param name="Text">The sentence.</param>
/// <param name="Error">What went wrong (the engine's exit code and error output, a time-out, unreadable audio).</param>
public sealed record SynthesisFailure(string Split, int Index, string SpeakerId, string Text, string Error)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Split} #{Index} ({SpeakerId}, \"{Text}\"): {Error}";
}
