namespace Wav2Vec2Sharp.Data;

/// <summary>One audio file of a manifest.</summary>
/// <param name="Path">The file's path; in a manifest read from disk, the absolute path (the relative path resolved against the root).</param>
/// <param name="NumSamples">The number of mono samples the file decodes to at 16 kHz (after resampling).</param>
public sealed record ManifestEntry(string Path, int NumSamples)
{
    /// <summary>The duration of the file at 16 kHz.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)NumSamples / Audio.AudioFile.DefaultSampleRate);
}
