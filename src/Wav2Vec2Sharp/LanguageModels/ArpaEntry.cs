namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>One ARPA line: the n-gram's words, its log10 probability and its log10 back-off weight (0 when none).</summary>
/// <param name="Words">The n-gram, oldest word first.</param>
/// <param name="Log10Probability">log10 P(last word | the words before it).</param>
/// <param name="Log10Backoff">log10 of the weight applied when this n-gram is a history that is not followed by the word asked for.</param>
public readonly record struct ArpaEntry(IReadOnlyList<string> Words, double Log10Probability, double Log10Backoff);
