namespace Wav2Vec2Sharp.Corpus;

/// <summary>A labelled training set of a synthetic corpus: its folder and manifest name, and how much audio it holds.</summary>
/// <param name="Name">The split name, e.g. <c>train_10min</c>: letters, digits, <c>_</c> and <c>-</c>.</param>
/// <param name="Minutes">The amount of audio; the set ends with the first utterance that reaches it.</param>
public sealed record LabelledSet(string Name, double Minutes);
