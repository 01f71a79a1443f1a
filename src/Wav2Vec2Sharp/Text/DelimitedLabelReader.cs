using System.Globalization;

using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Text;

/// <summary>
/// Reads a TSV or CSV manifest with a header row naming an audio-path column and a transcript column
/// (and optionally a <c>duration</c> column in seconds).
/// </summary>
internal static class DelimitedLabelReader
{
    public static LabelledManifest Read(string path, LabelledManifestFormat format, LabelledManifestOptions options)
    {
        var rows = new LabelledRows(path, options);
        var folder = ManifestText.Folder(path);
        var clips = Path.Combine(folder, "clips");
        using var reader = ManifestText.Open(path);
        var records = format == LabelledManifestFormat.Tsv ? DelimitedRecords.ReadTsv(reader) : DelimitedRecords.ReadCsv(reader);
        Header? header = null;
        try
        {
            foreach (var record in records)
            {
                if (record.IsBlank)
                    continue;
                if (header is null)
                {
                    header = Header.Parse(path, record);
                    continue;
                }
                var problem = record.Problem ?? (record.Fields.Count != header.Count
                    ? $"expected {header.Count} fields as in the header, found {record.Fields.Count}"
                    : null);
                if (problem is not null)
                {
                    rows.Bad(path, record.Line, problem);
                    continue;
                }
                AcceptRecord(rows, path, record, header, folder, clips);
            }
        }
        catch (IOException e)
        {
            throw new ManifestException(path, null, $"cannot read file ({e.Message.TrimEnd('.')})", e);
        }
        if (header is null)
            throw new ManifestException(path, null, "empty file (no header row)");
        return rows.Finish(format);
    }

    private static void AcceptRecord(LabelledRows rows, string path, DelimitedRecord record, Header header, string folder, string clips)
    {
        var audioText = record.Fields[header.Audio].Trim();
        if (audioText.Length == 0)
        {
            rows.Bad(path, record.Line, "empty audio path");
            return;
        }
        int? samples = null;
        if (header.Duration is int durationColumn && record.Fields[durationColumn].Trim() is { Length: > 0 } durationText)
        {
            string? durationProblem;
            samples = double.TryParse(durationText, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                ? ManifestColumns.ToSamples(seconds, out durationProblem)
                : Fail($"duration '{durationText}' is not a number", out durationProblem);
            if (durationProblem is not null)
            {
                rows.Bad(path, record.Line, durationProblem);
                return;
            }
        }
        var audio = LabelledRows.Resolve(folder, audioText, out var problem);
        if (audio is null)
        {
            rows.Bad(path, record.Line, problem!);
            return;
        }
        // Common Voice keeps the clips named in its TSVs in a sibling clips/ folder.
        if (!Path.IsPathFullyQualified(audioText) && !File.Exists(audio) && Directory.Exists(clips))
            audio = LabelledRows.Resolve(clips, audioText, out _) ?? audio;
        rows.Accept(path, record.Line, audio, record.Fields[header.Text], samples);
    }

    private static int? Fail(string message, out string? problem)
    {
        problem = message;
        return null;
    }

    private sealed record Header(int Count, int Audio, int Text, int? Duration)
    {
        public static Header Parse(string path, DelimitedRecord record)
        {
            if (record.Problem is not null)
                throw new ManifestException(path, record.Line, "malformed header row: " + record.Problem);
            var names = record.Fields.Select(f => f.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
            int audio = Find(names, ManifestColumns.Audio);
            int text = Find(names, ManifestColumns.Text);
            if (audio < 0 || text < 0)
            {
                var wanted = audio < 0 ? ManifestColumns.Audio : ManifestColumns.Text;
                throw new ManifestException(path, record.Line,
                    $"the header has no {(audio < 0 ? "audio path" : "transcript")} column (expected one of {string.Join(", ", wanted)}; found {string.Join(", ", record.Fields)})");
            }
            int duration = names.IndexOf(ManifestColumns.Duration);
            return new Header(names.Count, audio, text, duration >= 0 ? duration : null);
        }

        private static int Find(List<string> names, string[] candidates)
        {
            foreach (var candidate in candidates)
            {
                int index = names.IndexOf(candidate);
                if (index >= 0)
                    return index;
            }
            return -1;
        }
    }
}
