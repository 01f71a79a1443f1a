namespace Wav2Vec2Sharp.Inference;

/// <summary>
/// Fills <paramref name="destination"/> with the mono samples of a clip starting at <paramref name="offset"/>, so that a
/// long clip can be transcribed window by window without holding it in memory.
/// </summary>
/// <param name="offset">Index of the first sample wanted.</param>
/// <param name="destination">Receives <c>destination.Length</c> samples; the range always lies inside the clip.</param>
public delegate void SampleReader(long offset, Span<float> destination);
