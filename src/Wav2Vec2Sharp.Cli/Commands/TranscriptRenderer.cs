using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Output;
using Wav2Vec2Sharp.Timestamps;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>Turns one file's transcription into the chosen output format.</summary>
internal static class TranscriptRenderer
{
    /// <summary>File extension of per-file outputs.</summary>
    public static string Extension(string format) => format switch
    {
        "json" => ".json",
        "srt" => ".srt",
        "vtt" => ".vtt",
        _ => ".txt",
    };

    /// <summary>
    /// Where a per-file output goes: next to the input, or under <paramref name="outputDirectory"/> keeping the input's
    /// relative path; for a single input, <paramref name="outputDirectory"/> ending in the format's extension is the file itself.
    /// </summary>
    public static string OutputPath(InputFile input, string? outputDirectory, string format, bool singleInput) => outputDirectory switch
    {
        null => Path.ChangeExtension(input.Path, Extension(format)),
        _ when NamesOutputFile(outputDirectory, format, singleInput) => outputDirectory,
        _ => Path.Combine(outputDirectory, input.RelativeStem + Extension(format)),
    };

    /// <summary>Whether <c>--out</c> names the output file itself: a single input, and a name ending in the format's extension.</summary>
    public static bool NamesOutputFile(string outputDirectory, string format, bool singleInput) =>
        singleInput && outputDirectory.EndsWith(Extension(format), StringComparison.OrdinalIgnoreCase);

    /// <summary>The JSON object of one file: text, duration and timing, words (and characters).</summary>
    public static JsonObject Json(string file, Transcription result, TimedTranscript timed, double readSeconds, double totalSeconds, bool chars)
    {
        var json = new JsonObject { ["file"] = file };
        TranscriptJson.Write(timed, chars, json);
        json["audio_seconds"] = Math.Round(result.AudioSeconds, 3);
        json["frames"] = result.Frames;
        json["read_seconds"] = Math.Round(readSeconds, 4);
        json["total_seconds"] = Math.Round(totalSeconds, 4);
        json["real_time_factor"] = Math.Round(result.AudioSeconds / totalSeconds, 2);
        return json;
    }

    /// <summary>Hypotheses as a JSON array of <c>{"text", "score"}</c>, in the decoder's order (best first); the score is the decoder's (natural log).</summary>
    public static JsonArray Hypotheses(IEnumerable<Decoding.CtcHypothesis> hypotheses) =>
        new(hypotheses.Select(h => (JsonNode)new JsonObject { ["text"] = h.Text, ["score"] = Math.Round(h.Score, 4) }).ToArray());

    /// <summary>A whole per-file document in <paramref name="format"/>.</summary>
    public static string Document(string format, JsonObject json, TimedTranscript timed, SubtitleOptions subtitles) => format switch
    {
        "json" => json.ToJsonString(CliJson.Indented) + "\n",
        "srt" => SubtitleWriter.ToSrt(SubtitleBuilder.Build(timed.Words, subtitles)),
        "vtt" => SubtitleWriter.ToVtt(SubtitleBuilder.Build(timed.Words, subtitles)),
        _ => timed.Text + "\n",
    };
}
