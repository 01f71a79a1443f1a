using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wav2Vec2Sharp.Evaluation;

/// <summary>Formats evaluation results as JSON, JSON lines and TSV.</summary>
internal static class EvaluationReportWriter
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Summary(int utterances, ErrorCounts words, ErrorCounts characters, ErrorRateInterval wordInterval,
        ErrorRateInterval characterInterval) => Json(Indented, json =>
    {
        json.WriteStartObject();
        json.WriteNumber("utterances", utterances);
        WriteRate(json, "wer", words.Rate);
        WriteRate(json, "cer", characters.Rate);
        WriteInterval(json, "wer_interval_95", wordInterval);
        WriteInterval(json, "cer_interval_95", characterInterval);
        json.WriteNumber("substitutions", words.Substitutions);
        json.WriteNumber("deletions", words.Deletions);
        json.WriteNumber("insertions", words.Insertions);
        json.WriteNumber("hits", words.Hits);
        json.WriteNumber("reference_words", words.ReferenceLength);
        json.WriteNumber("hypothesis_words", words.HypothesisLength);
        json.WriteNumber("character_errors", characters.Errors);
        json.WriteNumber("reference_characters", characters.ReferenceLength);
        json.WriteEndObject();
    }) + "\n";

    public static string Jsonl(IEnumerable<UtteranceResult> utterances)
    {
        var output = new StringBuilder();
        foreach (var u in utterances)
        {
            output.Append(Json(Compact, json =>
            {
                json.WriteStartObject();
                json.WriteString("id", u.Id);
                json.WriteString("reference", u.Reference);
                json.WriteString("hypothesis", u.Hypothesis);
                WriteRate(json, "wer", u.WordErrorRate);
                WriteRate(json, "cer", u.CharacterErrorRate);
                json.WriteNumber("substitutions", u.Words.Counts.Substitutions);
                json.WriteNumber("deletions", u.Words.Counts.Deletions);
                json.WriteNumber("insertions", u.Words.Counts.Insertions);
                json.WriteNumber("reference_words", u.Words.Counts.ReferenceLength);
                json.WriteNumber("character_errors", u.Characters.Counts.Errors);
                json.WriteNumber("reference_characters", u.Characters.Counts.ReferenceLength);
                json.WriteStartArray("alignment");
                foreach (var step in u.Words.Tokens)
                {
                    json.WriteStartObject();
                    json.WriteString("op", step.Code.ToString());
                    json.WriteString("ref", step.Reference);
                    json.WriteString("hyp", step.Hypothesis);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            })).Append('\n');
        }
        return output.ToString();
    }

    public static string Tsv(IEnumerable<UtteranceResult> utterances)
    {
        var output = new StringBuilder("id\twer\tcer\tsubstitutions\tdeletions\tinsertions\treference_words\treference\thypothesis\n");
        foreach (var u in utterances)
        {
            var c = u.Words.Counts;
            output.AppendJoin('\t', Field(u.Id), Rate(u.WordErrorRate), Rate(u.CharacterErrorRate),
                c.Substitutions.ToString(CultureInfo.InvariantCulture), c.Deletions.ToString(CultureInfo.InvariantCulture),
                c.Insertions.ToString(CultureInfo.InvariantCulture), c.ReferenceLength.ToString(CultureInfo.InvariantCulture),
                Field(u.Reference), Field(u.Hypothesis)).Append('\n');
        }
        return output.ToString();
    }

    private static string Rate(double rate) => double.IsNaN(rate) ? "NaN" : rate.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Field(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

    private static void WriteRate(Utf8JsonWriter json, string name, double rate)
    {
        if (double.IsFinite(rate))
            json.WriteNumber(name, rate);
        else
            json.WriteNull(name);
    }

    private static void WriteInterval(Utf8JsonWriter json, string name, ErrorRateInterval interval)
    {
        if (!interval.IsDefined)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartArray(name);
        json.WriteNumberValue(interval.Low);
        json.WriteNumberValue(interval.High);
        json.WriteEndArray();
    }

    private static string Json(JsonWriterOptions options, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, options))
            write(json);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
