using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Data;

/// <summary>What <see cref="ManifestBuilder.Build"/> wrote.</summary>
/// <param name="ManifestPath">The manifest written.</param>
/// <param name="Root">The root folder on the manifest's first line (absolute).</param>
/// <param name="FilesWritten">The number of files listed in the manifest.</param>
/// <param name="Skipped">The files left out as unreadable, in ordinal path order, each with its reason.</param>
/// <param name="TotalSamples">The total number of samples listed, at 16 kHz.</param>
public sealed record ManifestSummary(string ManifestPath, string Root, int FilesWritten, IReadOnlyList<SkippedAudioFile> Skipped, long TotalSamples)
{
    /// <summary>The total duration listed, in hours.</summary>
    public double TotalHours => TotalSamples / (double)AudioFile.DefaultSampleRate / 3600;
}
