using System.Text.Json;

namespace Wav2Vec2Sharp.Text;

/// <summary>Reads a JSON-lines manifest: one object per line with the audio path, the text and optionally the duration.</summary>
internal static class JsonlLabelReader
{
    public static LabelledManifest Read(string path, LabelledManifestOptions options)
    {
        var rows = new LabelledRows(path, options);
        var folder = ManifestText.Folder(path);
        var lines = ManifestText.ReadLines(path);
        for (int i = 0; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            var (audio, text, samples, problem) = ParseLine(lines[i], folder);
            if (problem is not null)
                rows.Bad(path, i + 1, problem);
            else
                rows.Accept(path, i + 1, audio!, text!, samples);
        }
        return rows.Finish(LabelledManifestFormat.Jsonl);
    }

    private static (string? Audio, string? Text, int? Samples, string? Problem) ParseLine(string line, string folder)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return (null, null, null, "not valid JSON");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, null, null, $"expected a JSON object, found {root.ValueKind.ToString().ToLowerInvariant()}");
            var (audioText, problem) = StringField(root, ManifestColumns.Audio);
            if (problem is not null)
                return (null, null, null, problem);
            var (text, textProblem) = StringField(root, ManifestColumns.Text);
            if (textProblem is not null)
                return (null, null, null, textProblem);
            int? samples = null;
            if (root.TryGetProperty(ManifestColumns.Duration, out var duration) && duration.ValueKind != JsonValueKind.Null)
            {
                if (duration.ValueKind != JsonValueKind.Number)
                    return (null, null, null, "\"duration\" is not a number");
                samples = ManifestColumns.ToSamples(duration.GetDouble(), out problem);
                if (problem is not null)
                    return (null, null, null, problem);
            }
            if (audioText!.Trim().Length == 0)
                return (null, null, null, "empty audio path");
            var audio = LabelledRows.Resolve(folder, audioText, out problem);
            return (audio, text, samples, problem);
        }
    }

    private static (string? Value, string? Problem) StringField(JsonElement root, string[] names)
    {
        foreach (var name in names)
        {
            if (!root.TryGetProperty(name, out var value))
                continue;
            return value.ValueKind == JsonValueKind.String
                ? (value.GetString(), null)
                : (null, $"\"{name}\" is not a string");
        }
        return (null, $"no \"{names[0]}\" field");
    }
}
