namespace Wav2Vec2Sharp.Data;

/// <summary>How far a folder scan has got, for drawing a progress bar.</summary>
/// <param name="Done">Files examined so far (decoded or skipped).</param>
/// <param name="Total">Audio files found in the folder.</param>
/// <param name="Skipped">Files among <paramref name="Done"/> that were skipped as unreadable.</param>
public readonly record struct ManifestProgress(int Done, int Total, int Skipped);
