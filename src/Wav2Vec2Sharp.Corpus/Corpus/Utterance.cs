namespace Wav2Vec2Sharp.Corpus;

/// <summary>One planned utterance of a split: what is spoken, by whom, and the file it goes to.</summary>
/// <param name="Index">Its position in the split's sequence.</param>
/// <param name="Text">The sentence.</param>
/// <param name="Speaker">The speaker.</param>
/// <param name="Augmentation">Its augmentation, or <see langword="null"/> for clean audio.</param>
/// <param name="FileName">
/// <c>NNNNNN-KEY.wav</c>: the index and the first hex digits of a hash of everything that decides the audio (format
/// version, sentence, speaker, engine version, augmentation), so a file of other settings is never taken for this one.
/// </param>
internal sealed record Utterance(int Index, string Text, Speaker Speaker, Augmentation? Augmentation, string FileName)
{
    /// <summary>Changes whenever the way audio is made changes, so old files are not reused.</summary>
    public const string FormatVersion = "w2v2sharp-tts/1";

    private const int KeyDigits = 10;

    /// <summary>Plans utterance <paramref name="index"/> of <paramref name="text"/> by <paramref name="speaker"/>.</summary>
    public static Utterance Create(int index, string text, Speaker speaker, Augmentation? augmentation, string engineVersion)
    {
        var key = StableHash.Hex($"{FormatVersion}\n{text}\n{speaker.Id}\n{engineVersion}\n{augmentation?.Describe() ?? "clean"}", KeyDigits);
        return new Utterance(index, text, speaker, augmentation, $"{index:D6}-{key}.wav");
    }

    /// <summary>Whether <paramref name="fileName"/> has the form of an utterance file (so the synthesiser may delete it when stale).</summary>
    public static bool IsUtteranceFileName(string fileName) =>
        fileName.Length == 6 + 1 + KeyDigits + 4
        && fileName.AsSpan(0, 6).IndexOfAnyExceptInRange('0', '9') < 0
        && fileName[6] == '-'
        && fileName.AsSpan(7, KeyDigits).IndexOfAnyExcept("0123456789abcdef".AsSpan()) < 0
        && fileName.EndsWith(".wav", StringComparison.Ordinal);
}
