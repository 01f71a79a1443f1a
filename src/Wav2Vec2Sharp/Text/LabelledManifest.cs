using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Text;

/// <summary>
/// Audio files with transcripts, read from a fairseq <c>.tsv</c> + <c>.ltr</c>/<c>.wrd</c> pair, a JSON-lines file, or a
/// TSV/CSV with a header (Common Voice layout). Rows that cannot be used are kept in <see cref="BadRows"/> with their
/// line numbers rather than silently dropped; reading fails only when the files themselves are unusable or no row is.
/// </summary>
/// <remarks>
/// <para>Formats (<see cref="DetectFormat"/>):</para>
/// <list type="bullet">
/// <item><b>fairseq</b> (<c>.tsv</c> whose first line is a root folder without a tab, or a <c>.ltr</c>/<c>.wrd</c> path):
/// <c>train.tsv</c> holds the root folder (relative roots are resolved against the manifest's folder), then
/// <c>path&lt;TAB&gt;num_samples</c> lines; the label file of the same base name (<c>.ltr</c> preferred over <c>.wrd</c>)
/// holds one transcript per entry, in the same order. Their line counts (ignoring blank lines at the end) must match.</item>
/// <item><b>JSONL</b> (<c>.jsonl</c>, <c>.ndjson</c>, <c>.json</c>, or a first line starting with <c>{</c>): one object per line with
/// <c>audio_filepath</c> (relative paths are resolved against the file's folder), <c>text</c> and optional <c>duration</c>
/// in seconds. <c>path</c>/<c>file</c>/<c>audio</c> and <c>sentence</c>/<c>transcript</c> are accepted as alternative names.</item>
/// <item><b>TSV</b> with a header (<c>.tsv</c> whose first line holds tabs): an audio column (<c>path</c>, <c>file</c>,
/// <c>audio</c>, <c>audio_filepath</c>, …) and a transcript column (<c>sentence</c>, <c>text</c>, <c>transcript</c>, …);
/// fields are not quoted (as Common Voice's files are read). A relative path that is not found beside the file is looked
/// up in a sibling <c>clips/</c> folder.</item>
/// <item><b>CSV</b> (<c>.csv</c>): as TSV, comma-separated, with RFC 4180 quoting.</item>
/// </list>
/// <para>Transcripts are normalised by <see cref="LabelledManifestOptions.Normalizer"/>; rows whose audio file is missing,
/// whose text is empty after normalisation, or that are malformed become <see cref="BadRow"/>s. A stated length
/// (<c>num_samples</c>, <c>duration</c>) is kept in <see cref="LabelledUtterance.NumSamples"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var manifest = LabelledManifest.Read("cv-corpus/en/validated.tsv");
/// foreach (var bad in manifest.BadRows)
///     Console.Error.WriteLine(bad);              // validated.tsv:17: audio file not found: …
/// LabelledManifest.WriteFairseq("data/train.tsv", manifest.Utterances);
/// </code>
/// </example>
public sealed class LabelledManifest
{
    /// <summary>Creates a manifest from rows already read.</summary>
    public LabelledManifest(string filePath, LabelledManifestFormat format, IEnumerable<LabelledUtterance> utterances, IEnumerable<BadRow> badRows)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        FilePath = filePath;
        Format = format;
        Utterances = utterances.ToArray();
        BadRows = badRows.ToArray();
    }

    /// <summary>The manifest file, as the caller named it (for fairseq, the <c>.tsv</c>).</summary>
    public string FilePath { get; }

    /// <summary>The layout the file was read as.</summary>
    public LabelledManifestFormat Format { get; }

    /// <summary>The usable rows, in file order.</summary>
    public IReadOnlyList<LabelledUtterance> Utterances { get; }

    /// <summary>The rows left out, in file order within each file.</summary>
    public IReadOnlyList<BadRow> BadRows { get; }

    /// <summary>Reads <paramref name="path"/>, choosing the format with <see cref="DetectFormat"/>.</summary>
    /// <param name="path">A <c>.tsv</c>, <c>.ltr</c>, <c>.wrd</c>, <c>.jsonl</c>, <c>.json</c> or <c>.csv</c> file.</param>
    /// <param name="options">How rows are normalised and checked; <see cref="LabelledManifestOptions.Default"/> when null.</param>
    /// <exception cref="ManifestException">
    /// A file is missing or unreadable, the format cannot be told, the header lacks a needed column, fairseq files are
    /// not parallel, or no row is usable.
    /// </exception>
    public static LabelledManifest Read(string path, LabelledManifestOptions? options = null) => Read(path, DetectFormat(path), options);

    /// <summary>Reads <paramref name="path"/> as <paramref name="format"/>.</summary>
    /// <exception cref="ManifestException">See <see cref="Read(string, LabelledManifestOptions?)"/>.</exception>
    public static LabelledManifest Read(string path, LabelledManifestFormat format, LabelledManifestOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= LabelledManifestOptions.Default;
        return format switch
        {
            LabelledManifestFormat.Fairseq => FairseqLabelReader.Read(TsvOf(path), options),
            LabelledManifestFormat.Jsonl => JsonlLabelReader.Read(path, options),
            LabelledManifestFormat.Tsv or LabelledManifestFormat.Csv => DelimitedLabelReader.Read(path, format, options),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    /// <summary>
    /// Tells the layout of <paramref name="path"/> from its extension and, where that is ambiguous, its first line:
    /// <c>.ltr</c>/<c>.wrd</c> → fairseq; <c>.jsonl</c>/<c>.ndjson</c>/<c>.json</c> → JSONL; <c>.csv</c> → CSV; <c>.tsv</c> → fairseq
    /// when a <c>.ltr</c>/<c>.wrd</c> file of the same base name exists or the first line has no tab, else TSV; any other
    /// extension: JSONL if the first line starts with <c>{</c>, TSV if it has a tab, CSV if it has a comma.
    /// </summary>
    /// <exception cref="ManifestException">The file is missing, or its format cannot be told.</exception>
    public static LabelledManifestFormat DetectFormat(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".ltr" or ".wrd":
                return LabelledManifestFormat.Fairseq;
            case ".jsonl" or ".ndjson" or ".json":
                return LabelledManifestFormat.Jsonl;
            case ".csv":
                return LabelledManifestFormat.Csv;
            case ".tsv":
                if (FairseqLabelReader.FindLabels(path) is not null)
                    return LabelledManifestFormat.Fairseq;
                return ManifestText.FirstContentLine(path) is { } first && first.Contains('\t')
                    ? LabelledManifestFormat.Tsv
                    : LabelledManifestFormat.Fairseq;
        }
        var line = ManifestText.FirstContentLine(path)?.TrimStart();
        if (line is null)
            throw new ManifestException(path, null, "empty file, so its format cannot be told");
        if (line.StartsWith('{'))
            return LabelledManifestFormat.Jsonl;
        if (line.Contains('\t'))
            return LabelledManifestFormat.Tsv;
        if (line.Contains(','))
            return LabelledManifestFormat.Csv;
        throw new ManifestException(path, null, "cannot tell the manifest format (expected .tsv, .ltr, .wrd, .jsonl, .json or .csv)");
    }

    /// <summary>
    /// Writes a fairseq manifest: <paramref name="tsvPath"/> (root folder, then <c>path&lt;TAB&gt;num_samples</c>) and, beside
    /// it, the <c>.ltr</c> (letters) and <c>.wrd</c> (words) label files of the same base name. Each file is written atomically.
    /// </summary>
    /// <param name="tsvPath">The manifest to write, e.g. <c>data/train.tsv</c>.</param>
    /// <param name="utterances">The rows; a missing <see cref="LabelledUtterance.NumSamples"/> is measured by decoding the audio at 16 kHz.</param>
    /// <param name="root">The root folder audio paths are written relative to; by default the deepest folder holding all of them.</param>
    /// <exception cref="ArgumentException">A transcript is empty or holds <c>|</c>, or a path holds a tab or line break.</exception>
    /// <exception cref="ManifestException">An audio file without a stated length cannot be decoded.</exception>
    public static void WriteFairseq(string tsvPath, IEnumerable<LabelledUtterance> utterances, string? root = null) =>
        LabelledManifestWriter.WriteFairseq(tsvPath, utterances, root);

    /// <summary>
    /// Writes a JSON-lines manifest atomically: <c>{"audio_filepath": …, "text": …, "duration": …}</c> per row, the path
    /// relative to the file's folder when the audio lies under it, the duration (seconds at 16 kHz) only when known.
    /// </summary>
    /// <exception cref="ArgumentException">A transcript is empty.</exception>
    public static void WriteJsonl(string path, IEnumerable<LabelledUtterance> utterances) =>
        LabelledManifestWriter.WriteJsonl(path, utterances);

    private static string TsvOf(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".ltr" or ".wrd" ? Path.ChangeExtension(path, ".tsv") : path;
    }
}
