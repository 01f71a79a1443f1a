using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Data;

/// <summary>
/// Builds a manifest from a folder of audio files, as fairseq's <c>wav2vec_manifest.py</c> does (the engine of <c>w2v manifest</c>).
/// </summary>
/// <remarks>
/// Files are found recursively by extension (<see cref="Extensions"/>, any letter case), hidden files and folders
/// excluded, and listed in ordinal order of their paths relative to the folder. Each file is decoded with
/// <see cref="AudioFile.Read"/> to measure its length at 16 kHz (<see cref="Resampler.OutputLength"/>), on up to
/// <see cref="Environment.ProcessorCount"/> threads; the order of the output does not depend on the threads.
/// A file that cannot be decoded is skipped with its reason rather than stopping the scan.
/// </remarks>
public static class ManifestBuilder
{
    /// <summary>The file extensions scanned for, lower case.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".wav", ".flac", ".mp3", ".ogg", ".opus", ".webm"];

    /// <summary>Scans <paramref name="folder"/> and measures every audio file in it.</summary>
    /// <param name="folder">The folder to scan; it becomes the manifest's root.</param>
    /// <param name="progress">
    /// Told the total once the files are found (<c>Done = 0</c>), then after each file, with <c>Done</c> increasing by one
    /// each time. Called from worker threads, one call at a time.
    /// </param>
    /// <param name="cancellationToken">Stops the scan (an <see cref="OperationCanceledException"/> is thrown).</param>
    /// <returns>The manifest of the readable files and the list of skipped ones, both in path order.</returns>
    /// <exception cref="ManifestException">The folder does not exist or cannot be listed.</exception>
    public static ManifestScan Scan(string folder, IProgress<ManifestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var files = FindAudioFiles(folder, root);
        var outcomes = new Outcome[files.Count];
        int done = 0, skipped = 0;
        var gate = new object();
        progress?.Report(new ManifestProgress(0, files.Count, 0));
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, files.Count, options, i =>
        {
            outcomes[i] = Measure(files[i], root);
            lock (gate)
            {
                done++;
                if (outcomes[i].Problem is not null)
                    skipped++;
                progress?.Report(new ManifestProgress(done, files.Count, skipped));
            }
        });

        var entries = new List<ManifestEntry>(files.Count);
        var skippedFiles = new List<SkippedAudioFile>();
        for (int i = 0; i < files.Count; i++)
        {
            if (outcomes[i].Problem is { } problem)
                skippedFiles.Add(new SkippedAudioFile(files[i], problem));
            else
                entries.Add(new ManifestEntry(files[i], outcomes[i].Samples));
        }
        return new ManifestScan(new AudioManifest(root, entries), skippedFiles);
    }

    /// <summary>Scans <paramref name="folder"/> (see <see cref="Scan"/>) and writes the manifest to <paramref name="outputPath"/> atomically.</summary>
    /// <param name="folder">The folder to scan; it becomes the manifest's root.</param>
    /// <param name="outputPath">The manifest to write (e.g. <c>train.tsv</c>); its folder is created if needed.</param>
    /// <param name="progress">Told how far the scan has got; see <see cref="Scan"/>.</param>
    /// <param name="cancellationToken">Stops the scan before anything is written.</param>
    /// <returns>What was written and what was skipped.</returns>
    /// <exception cref="ManifestException">The folder does not exist, cannot be listed, or holds no readable audio file (nothing is written).</exception>
    /// <exception cref="IOException">The manifest cannot be written.</exception>
    public static ManifestSummary Build(string folder, string outputPath, IProgress<ManifestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputPath);
        var scan = Scan(folder, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (scan.Manifest.Entries.Count == 0)
            throw new ManifestException(folder, null, scan.Skipped.Count == 0
                ? $"holds no audio files ({string.Join(", ", Extensions)})"
                : $"none of its {scan.Skipped.Count} audio files is readable (the first, {scan.Skipped[0].Path}: {scan.Skipped[0].Reason.TrimEnd('.')})");
        scan.Manifest.Write(outputPath);
        return new ManifestSummary(Path.GetFullPath(outputPath), scan.Manifest.Root, scan.Manifest.Entries.Count, scan.Skipped, scan.Manifest.TotalSamples);
    }

    /// <summary>The audio files under <paramref name="root"/>, absolute, in ordinal order of their relative paths.</summary>
    private static List<string> FindAudioFiles(string folder, string root)
    {
        if (!Directory.Exists(root))
            throw new ManifestException(folder, null, File.Exists(root) ? "is a file, not a folder of audio files" : "folder not found");
        try
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchType = MatchType.Simple };
            var files = Directory.EnumerateFiles(root, "*", options)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .ToList();
            files.Sort(StringComparer.Ordinal);
            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ManifestException(folder, null, $"cannot list folder ({e.Message.TrimEnd('.')})", e);
        }
    }

    private static Outcome Measure(string path, string root)
    {
        if (!AudioManifest.IsStorable(Path.GetRelativePath(root, path)))
            return new Outcome(0, "the file name holds a tab or line break, which a manifest cannot store");
        try
        {
            var clip = AudioFile.Read(path);
            return new Outcome(Resampler.OutputLength(clip.Samples.Length, clip.SampleRate, AudioFile.DefaultSampleRate), null);
        }
        catch (AudioDecodeException e)
        {
            return new Outcome(0, e.Problem);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A decoder bug or an allocation too large for this file alone: skip the file, keep the scan going.
            return new Outcome(0, $"cannot decode ({e.GetType().Name}: {e.Message.TrimEnd('.')})");
        }
    }

    private readonly record struct Outcome(int Samples, string? Problem);
}
