using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>Writes a split's manifests beside its folder: <c>NAME.tsv</c> (+ <c>NAME.ltr</c>, <c>NAME.wrd</c> when labelled) and <c>NAME.jsonl</c>.</summary>
internal static class CorpusManifests
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the manifests of <paramref name="outcome"/>, whose files lie in <paramref name="folder"/>, into <paramref name="outputDirectory"/>.</summary>
    /// <returns>The paths of the fairseq and JSON-lines manifests.</returns>
    public static (string Tsv, string Jsonl) Write(SplitOutcome outcome, string outputDirectory, string folder)
    {
        var name = outcome.Plan.Name;
        var tsv = Path.Combine(outputDirectory, name + ".tsv");
        var jsonl = Path.Combine(outputDirectory, name + ".jsonl");
        if (outcome.Plan.Kind == CorpusSplitKind.Unlabelled)
        {
            new AudioManifest(folder, outcome.Accepted.Select(u => new ManifestEntry(u.Path, u.Samples))).Write(tsv);
        }
        else
        {
            LabelledManifest.WriteFairseq(tsv, outcome.Accepted.Select(u => new LabelledUtterance(u.Path, u.Utterance.Text, u.Samples)), folder);
        }
        WriteJsonl(jsonl, outcome.Accepted, outputDirectory);
        return (tsv, jsonl);
    }

    /// <summary>
    /// One line per utterance: <c>{"audio_filepath": "train_1h/000000-….wav", "text": …, "duration": seconds, "speaker": id}</c>,
    /// the path relative to the manifest's folder (as <see cref="LabelledManifest.WriteJsonl"/> writes it), with <c>/</c> separators.
    /// </summary>
    private static void WriteJsonl(string path, IReadOnlyList<UtteranceOutcome> utterances, string outputDirectory)
    {
        var text = new StringBuilder();
        foreach (var u in utterances)
        {
            var line = new JsonObject
            {
                ["audio_filepath"] = Path.GetRelativePath(outputDirectory, u.Path).Replace(Path.DirectorySeparatorChar, '/'),
                ["text"] = u.Utterance.Text,
                ["duration"] = u.Samples / (double)Audio.AudioFile.DefaultSampleRate,
                ["speaker"] = u.Utterance.Speaker.Id,
            };
            text.Append(line.ToJsonString(JsonOptions)).Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
