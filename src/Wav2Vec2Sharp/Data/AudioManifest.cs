using System.Text;

namespace Wav2Vec2Sharp.Data;

/// <summary>
/// A list of audio files with their lengths, in the tab-separated format of fairseq's <c>wav2vec_manifest.py</c>:
/// the first line is the root folder, then one <c>relative/path&lt;TAB&gt;num_samples</c> line per file, where
/// <c>num_samples</c> is the length at 16 kHz (after resampling).
/// </summary>
/// <remarks>
/// A relative root is resolved against the manifest's own folder (fairseq resolves it against the working
/// directory; its tool always writes an absolute root). Blank lines are ignored; a UTF-8 byte order mark and
/// CRLF line endings are accepted.
/// </remarks>
public sealed class AudioManifest
{
    private readonly ManifestEntry[] _entries;

    /// <summary>Creates a manifest of <paramref name="entries"/> under <paramref name="root"/>.</summary>
    /// <param name="root">The root folder; made absolute.</param>
    /// <param name="entries">The files; a relative <see cref="ManifestEntry.Path"/> is resolved against <paramref name="root"/>.</param>
    /// <exception cref="ArgumentException">An entry has an empty path or a non-positive sample count.</exception>
    public AudioManifest(string root, IEnumerable<ManifestEntry> entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(entries);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _entries = entries.Select(e =>
        {
            ArgumentNullException.ThrowIfNull(e, nameof(entries));
            if (string.IsNullOrEmpty(e.Path))
                throw new ArgumentException("A manifest entry has an empty path.", nameof(entries));
            if (e.NumSamples <= 0)
                throw new ArgumentException($"The manifest entry '{e.Path}' has {e.NumSamples} samples; the count must be positive.", nameof(entries));
            return Path.IsPathFullyQualified(e.Path) ? e : e with { Path = Path.GetFullPath(Path.Combine(Root, e.Path)) };
        }).ToArray();
    }

    /// <summary>The root folder, absolute, without a trailing separator (except for a file-system root).</summary>
    public string Root { get; }

    /// <summary>The files, with absolute paths, in manifest order.</summary>
    public IReadOnlyList<ManifestEntry> Entries => _entries;

    /// <summary>The total number of samples at 16 kHz.</summary>
    public long TotalSamples => _entries.Sum(e => (long)e.NumSamples);

    /// <summary>Reads a manifest file.</summary>
    /// <param name="path">The manifest (e.g. <c>train.tsv</c>).</param>
    /// <returns>The manifest, with entry paths resolved against its root.</returns>
    /// <exception cref="ManifestException">
    /// The file is missing or unreadable, the root line is missing or empty, or an entry line lacks a tab, has an
    /// empty path, or has a count that is not a positive integer; the message names the file and line.
    /// </exception>
    public static AudioManifest Read(string path) => ManifestReader.Read(path);

    /// <summary>
    /// Reads <paramref name="path"/> as a manifest when it is a file, or scans it with <see cref="FromFolder"/> when it is a folder.
    /// </summary>
    /// <param name="path">A manifest file or a folder of audio files.</param>
    /// <param name="onSkipped">Told of each unreadable file when <paramref name="path"/> is a folder.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="ManifestException">The manifest is missing or malformed, or the folder does not exist.</exception>
    public static AudioManifest Open(string path, Action<SkippedAudioFile>? onSkipped = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Directory.Exists(path) ? FromFolder(path, onSkipped) : Read(path);
    }

    /// <summary>
    /// Scans <paramref name="folder"/> recursively for <c>.wav</c>, <c>.flac</c>, <c>.mp3</c> and <c>.ogg</c> files and
    /// measures each one's length at 16 kHz by decoding it (in parallel), as <see cref="ManifestBuilder.Scan"/> does.
    /// </summary>
    /// <param name="folder">The folder to scan; it becomes the manifest's root.</param>
    /// <param name="onSkipped">Told of each file that cannot be decoded (or whose name a manifest cannot hold), in path order, after the scan.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The readable files, in ordinal order of their relative paths.</returns>
    /// <exception cref="ManifestException">The folder does not exist.</exception>
    public static AudioManifest FromFolder(string folder, Action<SkippedAudioFile>? onSkipped = null, CancellationToken cancellationToken = default)
    {
        var scan = ManifestBuilder.Scan(folder, progress: null, cancellationToken);
        if (onSkipped is not null)
        {
            foreach (var skipped in scan.Skipped)
                onSkipped(skipped);
        }
        return scan.Manifest;
    }

    /// <summary>
    /// Writes the manifest atomically (a reader never sees a partial file): the root, then each entry's path relative
    /// to the root (with <c>/</c> separators) and its sample count, UTF-8 without a byte order mark, <c>\n</c> line endings.
    /// </summary>
    /// <param name="path">The file to write; its folder is created if needed.</param>
    /// <exception cref="ManifestException">The root or a relative path contains a tab or a line break, which the format cannot hold.</exception>
    public void Write(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!IsStorable(Root))
            throw new ManifestException(path, null, $"cannot write the root folder '{Root}': a tab or line break in a path cannot be stored in a manifest");
        var lines = new string[_entries.Length];
        for (int i = 0; i < _entries.Length; i++)
        {
            string relative = RelativePath(_entries[i].Path);
            if (!IsStorable(relative))
                throw new ManifestException(path, null, $"cannot write '{relative}': a tab or line break in a path cannot be stored in a manifest");
            lines[i] = relative;
        }
        AtomicFile.Write(path, (Stream stream) =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);
            writer.Write(Root);
            writer.Write('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                writer.Write(lines[i]);
                writer.Write('\t');
                writer.Write(_entries[i].NumSamples.ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.Write('\n');
            }
        });
    }

    /// <summary>The path of <paramref name="fullPath"/> relative to <see cref="Root"/>, with <c>/</c> separators.</summary>
    internal string RelativePath(string fullPath)
    {
        string relative = Path.GetRelativePath(Root, fullPath);
        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>Whether a path can be stored on one manifest line.</summary>
    internal static bool IsStorable(string path) => path.AsSpan().IndexOfAny('\t', '\n', '\r') < 0;
}
