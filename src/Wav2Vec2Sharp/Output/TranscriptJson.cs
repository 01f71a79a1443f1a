using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Timestamps;

namespace Wav2Vec2Sharp.Output;

/// <summary>JSON for timed transcripts: <c>{"text", "words": [{"word", "start", "end", "confidence"}], "chars": [...]}</c>, times in seconds.</summary>
public static class TranscriptJson
{
    /// <summary>Adds <c>text</c>, <c>words</c> and, when <paramref name="includeCharacters"/>, <c>chars</c> to <paramref name="target"/>.</summary>
    public static JsonObject Write(TimedTranscript transcript, bool includeCharacters, JsonObject? target = null)
    {
        target ??= [];
        target["text"] = transcript.Text;
        target["words"] = new JsonArray(transcript.Words.Select(w => (JsonNode)new JsonObject
        {
            ["word"] = w.Text, ["start"] = Seconds(w.Start), ["end"] = Seconds(w.End), ["confidence"] = Math.Round(w.Confidence, 4),
        }).ToArray());
        if (includeCharacters)
            target["chars"] = Characters(transcript.Characters);
        return target;
    }

    /// <summary>A JSON array of <c>{"char", "start", "end", "confidence"}</c>.</summary>
    public static JsonArray Characters(IEnumerable<TimedToken> characters) => new(characters.Select(c => (JsonNode)new JsonObject
    {
        ["char"] = c.Text, ["start"] = Seconds(c.Start), ["end"] = Seconds(c.End), ["confidence"] = Math.Round(c.Confidence, 4),
    }).ToArray());

    private static double Seconds(double value) => Math.Round(value, 3);
}
