namespace Wav2Vec2Sharp.Corpus;

/// <summary>How one split is to be made: its sentence sequence, its speaker rotation and its target duration.</summary>
/// <param name="Name">The split name.</param>
/// <param name="Kind">What it is for.</param>
/// <param name="TargetSeconds">The duration to reach.</param>
/// <param name="Sentences">The sentences in the order they are spoken; utterance <c>i</c> speaks sentence <c>i</c> (modulo the count when <paramref name="Cycle"/>).</param>
/// <param name="Cycle">Whether the sentences start over when they run out (only for unlabelled audio).</param>
/// <param name="Speakers">The speaker rotation: utterance <c>i</c> is spoken by speaker <c>i</c> modulo the count.</param>
/// <param name="Augment">Whether the utterances are augmented (when augmentation is on).</param>
/// <param name="CopyFrom">A larger labelled set made earlier whose identical files are copied instead of synthesised, or <see langword="null"/>.</param>
internal sealed record SplitPlan(string Name, CorpusSplitKind Kind, double TargetSeconds, IReadOnlyList<string> Sentences, bool Cycle,
    IReadOnlyList<Speaker> Speakers, bool Augment, string? CopyFrom)
{
    /// <summary>The sentence of utterance <paramref name="index"/>, or <see langword="null"/> when the sentences have run out.</summary>
    public string? SentenceAt(int index) =>
        Sentences.Count == 0 ? null : Cycle ? Sentences[index % Sentences.Count] : index < Sentences.Count ? Sentences[index] : null;

    /// <summary>The speaker of utterance <paramref name="index"/>.</summary>
    public Speaker SpeakerAt(int index) => Speakers[index % Speakers.Count];
}
