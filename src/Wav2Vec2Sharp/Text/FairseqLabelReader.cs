using System.Globalization;

using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Text;

/// <summary>Reads a fairseq <c>.tsv</c> manifest with its parallel <c>.ltr</c> or <c>.wrd</c> label file.</summary>
internal static class FairseqLabelReader
{
    /// <summary>The label file beside <paramref name="tsvPath"/>: <c>.ltr</c> if present, else <c>.wrd</c>, else null.</summary>
    public static string? FindLabels(string tsvPath)
    {
        foreach (var extension in new[] { ".ltr", ".wrd" })
        {
            var candidate = Path.ChangeExtension(tsvPath, extension);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    public static LabelledManifest Read(string tsvPath, LabelledManifestOptions options)
    {
        var labelPath = FindLabels(tsvPath)
            ?? throw new ManifestException(tsvPath, null, $"no label file beside it (expected {Path.GetFileName(Path.ChangeExtension(tsvPath, ".ltr"))} or {Path.GetFileName(Path.ChangeExtension(tsvPath, ".wrd"))})");
        bool letters = labelPath.EndsWith(".ltr", StringComparison.OrdinalIgnoreCase);
        var lines = ManifestText.ReadLines(tsvPath);
        var labels = ManifestText.ReadLines(labelPath);
        if (lines.Count == 0 || lines[0].Trim().Length == 0)
            throw new ManifestException(tsvPath, 1, "missing root folder line");
        if (lines[0].Contains('\t'))
            throw new ManifestException(tsvPath, 1, "missing root folder line (the first line holds a tab, like an entry)");
        if (labels.Count != lines.Count - 1)
            throw new ManifestException(labelPath, null, $"has {labels.Count} lines but {Path.GetFileName(tsvPath)} has {lines.Count - 1} entries; the files must be parallel");

        string root;
        try
        {
            root = Path.GetFullPath(Path.Combine(ManifestText.Folder(tsvPath), lines[0].Trim()));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ManifestException(tsvPath, 1, $"invalid root folder \"{lines[0].Trim()}\"", e);
        }
        var rows = new LabelledRows(tsvPath, options);
        for (int i = 1; i < lines.Count; i++)
        {
            var (relative, count, problem) = ParseEntry(lines[i]);
            if (problem is not null)
            {
                rows.Bad(tsvPath, i + 1, problem);
                continue;
            }
            var audio = LabelledRows.Resolve(root, relative!, out problem);
            if (audio is null)
            {
                rows.Bad(tsvPath, i + 1, problem!);
                continue;
            }
            var text = letters ? LetterLabels.FromLetters(labels[i - 1]) : labels[i - 1];
            rows.Accept(tsvPath, i + 1, audio, text, count, labelPath, i);
        }
        return rows.Finish(LabelledManifestFormat.Fairseq);
    }

    private static (string? Path, int Count, string? Problem) ParseEntry(string line)
    {
        if (line.Trim().Length == 0)
            return (null, 0, "blank line where an entry should be");
        var fields = line.Split('\t');
        if (fields.Length != 2)
            return (null, 0, $"expected 'path<TAB>num_samples', found {fields.Length} tab-separated field{(fields.Length == 1 ? "" : "s")}");
        if (fields[0].Trim().Length == 0)
            return (null, 0, "empty file path before the tab");
        var countText = fields[1].Trim();
        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0)
            return (null, 0, $"num_samples '{countText}' is not a positive integer");
        return (fields[0], count, null);
    }
}
