using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// Training metrics as JSON lines (<c>metrics.jsonl</c>), one object per logged update or validation. On resume the
/// file is cut back to the resumed update, so that an interrupted and continued run leaves one continuous curve.
/// </summary>
public sealed class MetricsLog(string path)
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The file written.</summary>
    public string Path { get; } = path;

    /// <summary>Appends one record.</summary>
    public void Append(IReadOnlyDictionary<string, object?> record)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        File.AppendAllText(Path, JsonSerializer.Serialize(record, Compact) + "\n");
    }

    /// <summary>Removes records whose <c>update</c> is beyond <paramref name="updates"/> (and any torn last line).</summary>
    public void TruncateAfter(long updates)
    {
        if (!File.Exists(Path))
            return;
        var kept = new List<string>();
        foreach (var line in File.ReadLines(Path))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException)
            {
                continue; // a line cut by a crash
            }
            if (node?["update"]?.GetValue<long>() is { } update && update <= updates)
                kept.Add(line);
        }
        AtomicFile.WriteAllText(Path, kept.Count == 0 ? "" : string.Join("\n", kept) + "\n");
    }

    /// <summary>A metrics line: split, update, and every finite metric rounded to 6 digits (null for NaN/∞).</summary>
    public static Dictionary<string, object?> Record(string split, long updates, IReadOnlyDictionary<string, double> metrics)
    {
        var record = new Dictionary<string, object?> { ["split"] = split, ["update"] = updates };
        foreach (var (name, value) in metrics)
            record[name] = double.IsFinite(value) ? Math.Round(value, 6) : null;
        return record;
    }

    /// <summary>Reads all records (for plots and tests).</summary>
    public static List<JsonObject> Read(string path) =>
        File.ReadLines(path).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
}
