using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Text;

/// <summary>Collects the rows of one manifest: normalises texts, checks audio files, records bad rows.</summary>
internal sealed class LabelledRows(string manifestPath, LabelledManifestOptions options)
{
    private readonly List<LabelledUtterance> _utterances = [];
    private readonly List<BadRow> _badRows = [];

    public LabelledManifestOptions Options { get; } = options;

    public void Bad(string file, int line, string problem) => _badRows.Add(new BadRow(file, line, problem));

    /// <summary>Adds a row, or records it as bad when its audio is missing or its text normalises to nothing.</summary>
    /// <param name="file">The file the audio path came from.</param>
    /// <param name="line">The line of the audio path.</param>
    /// <param name="audioPath">The absolute audio path.</param>
    /// <param name="text">The transcript as written.</param>
    /// <param name="numSamples">The stated length, if any.</param>
    /// <param name="textFile">The file the text came from, when not <paramref name="file"/>.</param>
    /// <param name="textLine">The line of the text in <paramref name="textFile"/>.</param>
    public void Accept(string file, int line, string audioPath, string text, int? numSamples, string? textFile = null, int? textLine = null)
    {
        if (Options.CheckAudioExists && !File.Exists(audioPath))
        {
            Bad(file, line, "audio file not found: " + audioPath);
            return;
        }
        var normalized = Options.Normalizer?.Normalize(text) ?? string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (normalized.Length == 0)
        {
            Bad(textFile ?? file, textLine ?? line, text.Trim().Length == 0 ? "empty transcript" : $"transcript \"{text.Trim()}\" is empty after normalisation");
            return;
        }
        _utterances.Add(new LabelledUtterance(audioPath, normalized, numSamples));
    }

    /// <summary>Resolves <paramref name="path"/> against <paramref name="folder"/>; null (with a problem) when it is not a valid path.</summary>
    public static string? Resolve(string folder, string path, out string? problem)
    {
        problem = null;
        try
        {
            return Path.GetFullPath(Path.IsPathFullyQualified(path) ? path : Path.Combine(folder, path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            problem = $"invalid audio path \"{path}\"";
            return null;
        }
    }

    public LabelledManifest Finish(LabelledManifestFormat format)
    {
        if (_utterances.Count == 0)
        {
            var detail = _badRows.Count == 0
                ? "no rows"
                : $"all {_badRows.Count} rows are bad (first: {_badRows[0]})";
            throw new ManifestException(manifestPath, null, "no usable rows: " + detail);
        }
        return new LabelledManifest(manifestPath, format, _utterances, _badRows);
    }
}
