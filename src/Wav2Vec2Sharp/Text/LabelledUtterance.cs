namespace Wav2Vec2Sharp.Text;

/// <summary>One audio file with its transcript.</summary>
/// <param name="AudioPath">The audio file; absolute in a manifest read from disk.</param>
/// <param name="Text">The transcript, normalised as the reader's options say.</param>
/// <param name="NumSamples">The length in samples at 16 kHz when the manifest states it (fairseq <c>num_samples</c>, JSONL or CSV <c>duration</c>), otherwise <see langword="null"/>.</param>
public sealed record LabelledUtterance(string AudioPath, string Text, int? NumSamples);
