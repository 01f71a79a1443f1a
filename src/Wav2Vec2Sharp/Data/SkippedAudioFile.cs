namespace Wav2Vec2Sharp.Data;

/// <summary>An audio file left out of a manifest because it could not be used.</summary>
/// <param name="Path">The file's path.</param>
/// <param name="Reason">Why it was left out, without the file name, e.g. <c>"unrecognised audio format (…)"</c>.</param>
public sealed record SkippedAudioFile(string Path, string Reason);
