using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Evaluation;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// <c>w2v evaluate --baseline DIR</c>: another evaluation of the same utterances (the <c>--out</c> folder of an earlier
/// <c>w2v evaluate</c>), paired utterance by utterance with this one for <see cref="PairedComparison"/>.
/// </summary>
internal sealed class EvaluationBaseline
{
    private EvaluationBaseline(string folder, IReadOnlyList<(string Reference, ErrorCounts Words)> utterances) =>
        (Folder, Utterances) = (folder, utterances);

    /// <summary>The folder given.</summary>
    public string Folder { get; }

    /// <summary>Each utterance's reference text (as compared) and word counts, in the baseline's order.</summary>
    public IReadOnlyList<(string Reference, ErrorCounts Words)> Utterances { get; }

    /// <summary>Reads <c>utterances.jsonl</c> of <paramref name="folder"/>.</summary>
    /// <exception cref="Wav2Vec2SharpException">The folder or file is missing, or a line is not an evaluated utterance.</exception>
    public static EvaluationBaseline Read(string folder)
    {
        var path = Path.Combine(folder, "utterances.jsonl");
        if (!File.Exists(path))
            throw new Wav2Vec2SharpException($"--baseline {folder}: no utterances.jsonl there (give the --out folder of another w2v evaluate).");
        var utterances = new List<(string, ErrorCounts)>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            try
            {
                var row = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("not a JSON object");
                int substitutions = Count(row, "substitutions"), deletions = Count(row, "deletions"), insertions = Count(row, "insertions");
                int hits = Count(row, "reference_words") - substitutions - deletions;
                if (hits < 0)
                    throw new FormatException("more substitutions and deletions than reference words");
                utterances.Add(((string?)row["reference"] ?? throw new FormatException("no \"reference\""), new ErrorCounts(hits, substitutions, deletions, insertions)));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                throw new Wav2Vec2SharpException($"{path} line {lineNumber}: not an evaluated utterance ({e.Message}).");
            }
        }
        if (utterances.Count == 0)
            throw new Wav2Vec2SharpException($"{path}: no utterances.");
        return new EvaluationBaseline(folder, utterances);
    }

    /// <summary>
    /// Refuses, before anything is evaluated, data whose references do not hold the baseline's in order (an evaluation
    /// can only drop utterances, those whose audio is unreadable, so the baseline's must be a subsequence of them).
    /// </summary>
    /// <param name="references">The data's references, normalised as the evaluation compares them.</param>
    /// <exception cref="Wav2Vec2SharpException">A baseline utterance is not found in order.</exception>
    public void CheckAgainst(IReadOnlyList<string> references)
    {
        int next = 0;
        for (int i = 0; i < Utterances.Count; i++)
        {
            while (next < references.Count && references[next] != Utterances[i].Reference)
                next++;
            if (next == references.Count)
                throw new Wav2Vec2SharpException($"--baseline {Folder}: its utterance {i + 1} (\"{Utterances[i].Reference}\") is not among this data's " +
                                                 $"{references.Count} utterances in order; compare evaluations of the same utterances in the same order (and the same --lower-case).");
            next++;
        }
    }

    /// <summary>Pairs <paramref name="report"/>'s utterances with the baseline's and compares their WER.</summary>
    /// <exception cref="Wav2Vec2SharpException">The two are not evaluations of the same utterances in the same order.</exception>
    public PairedComparison Compare(EvaluationReport report)
    {
        var current = report.Utterances;
        if (current.Count != Utterances.Count)
            throw new Wav2Vec2SharpException($"--baseline {Folder}: it has {Utterances.Count} utterances and this evaluation {current.Count}; compare evaluations of the same utterances.");
        for (int i = 0; i < current.Count; i++)
            if (current[i].Reference != Utterances[i].Reference)
                throw new Wav2Vec2SharpException($"--baseline {Folder}: utterance {i + 1} is \"{Utterances[i].Reference}\" there and \"{current[i].Reference}\" here; " +
                                                 "compare evaluations of the same utterances in the same order (and the same --lower-case).");
        return PairedComparison.Bootstrap(Utterances.Select(u => u.Words).ToArray(), current.Select(u => u.Words.Counts).ToArray());
    }

    /// <summary>One line for the console: both WERs, the difference and the ratio with their 95 % intervals.</summary>
    public string Describe(PairedComparison c) => string.Create(CultureInfo.InvariantCulture,
        $"against {Folder} ({c.Utterances} paired utterances): WER {100 * c.Rate:0.00} % vs {100 * c.BaselineRate:0.00} %, " +
        $"{100 * c.RateDifference:+0.00;-0.00;0.00} points (95 % interval {100 * c.Difference.Low:+0.00;-0.00;0.00} to {100 * c.Difference.High:+0.00;-0.00;0.00})") +
        (double.IsFinite(c.RateRatio) && c.Ratio.IsDefined
            ? string.Create(CultureInfo.InvariantCulture, $", {c.RateRatio:0.00}x (95 % interval {c.Ratio.Low:0.00}-{c.Ratio.High:0.00}x)")
            : "") +
        string.Create(CultureInfo.InvariantCulture, $"; lower in {100 * c.ShareLower:0.#} % of draws");

    /// <summary>The comparison as JSON, for <c>comparison.json</c>.</summary>
    public string Json(PairedComparison c)
    {
        static JsonNode? Number(double x) => double.IsFinite(x) ? JsonValue.Create(x) : null;
        static JsonNode? Interval(ErrorRateInterval i) => i.IsDefined ? new JsonArray(i.Low, i.High) : null;
        var json = new JsonObject
        {
            ["baseline"] = Path.GetFullPath(Folder),
            ["utterances"] = c.Utterances,
            ["baseline_wer"] = Number(c.BaselineRate),
            ["wer"] = Number(c.Rate),
            ["wer_difference"] = Number(c.RateDifference),
            ["wer_difference_interval_95"] = Interval(c.Difference),
            ["wer_ratio"] = Number(c.RateRatio),
            ["wer_ratio_interval_95"] = Interval(c.Ratio),
            ["share_lower"] = Number(c.ShareLower),
        };
        return json.ToJsonString(CliJson.Indented) + "\n";
    }

    private static int Count(JsonObject row, string name) =>
        row[name] is { } value ? (int)value : throw new FormatException($"no \"{name}\"");
}
