namespace Wav2Vec2Sharp.Data;

/// <summary>The outcome of scanning a folder: the manifest of the readable files and the files left out.</summary>
/// <param name="Manifest">The readable files, in ordinal order of their relative paths.</param>
/// <param name="Skipped">The unreadable files, in the same order, each with its reason.</param>
public sealed record ManifestScan(AudioManifest Manifest, IReadOnlyList<SkippedAudioFile> Skipped);
