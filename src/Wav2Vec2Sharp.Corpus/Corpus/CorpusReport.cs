using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// Writes <c>corpus.json</c>: the options that decide the audio, the sentence source, the engines and their versions,
/// the speakers (training and unseen, and those of each split), each split's manifests and totals, and the failures.
/// It holds nothing about the run itself (times, what was reused), so the same seed and options give the same file.
/// </summary>
internal static class CorpusReport
{
    public const string FileName = "corpus.json";

    public static string Write(string outputDirectory, CorpusOptions options, SentenceSource sentences, SpeakerCatalog catalog,
        IReadOnlyList<CorpusSplitSummary> splits, IReadOnlyList<SynthesisFailure> failures, ChannelTestMaker.Lame? lame)
    {
        var path = Path.Combine(outputDirectory, FileName);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("format", Utterance.FormatVersion);
            json.WriteNumber("sample_rate", Audio.AudioFile.DefaultSampleRate);
            WriteOptions(json, options);
            json.WriteStartObject("sentences");
            json.WriteNumber("count", sentences.Sentences.Count);
            WriteStrings(json, "origins", sentences.Origins);
            json.WriteEndObject();
            json.WriteStartArray("engines");
            foreach (var engine in catalog.Engines)
            {
                json.WriteStartObject();
                json.WriteString("engine", engine.Name);
                json.WriteString("executable", engine.Executable);
                json.WriteString("version", engine.Version);
                WriteStrings(json, "voices", engine.Voices);
                WriteStrings(json, "variants", engine.Variants);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteStrings(json, "unseen_voices", catalog.UnseenVoices);
            json.WriteStartObject("speakers");
            WriteSpeakers(json, "training", catalog.TrainingSpeakers);
            WriteSpeakers(json, "unseen", catalog.UnseenSpeakers);
            json.WriteEndObject();
            json.WriteStartArray("splits");
            foreach (var split in splits)
            {
                json.WriteStartObject();
                json.WriteString("name", split.Name);
                json.WriteString("kind", split.Kind == CorpusSplitKind.ChannelTest ? "channel_test" : split.Kind.ToString().ToLowerInvariant());
                if (split.Kind == CorpusSplitKind.ChannelTest)
                {
                    var channel = options.ChannelTests.First(c => ChannelTestMaker.SplitName(c) == split.Name);
                    json.WriteString("source", CorpusOptions.TestSeenName);
                    json.WriteString("channel", ChannelTestMaker.Name(channel));
                    json.WriteString("channel_description", ChannelTestMaker.Describe(channel, lame));
                }
                json.WriteString("folder", Relative(outputDirectory, split.Folder));
                json.WriteString("tsv", Relative(outputDirectory, split.TsvPath));
                json.WriteString("jsonl", Relative(outputDirectory, split.JsonlPath));
                json.WriteNumber("utterances", split.Utterances);
                json.WriteNumber("samples", split.Samples);
                json.WriteNumber("seconds", Math.Round(split.Duration.TotalSeconds, 3));
                json.WriteBoolean("complete", split.Complete);
                WriteStrings(json, "speakers", split.SpeakerIds);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("totals");
            json.WriteNumber("utterances", splits.Sum(s => s.Utterances));
            json.WriteNumber("samples", splits.Sum(s => s.Samples));
            json.WriteNumber("hours", Math.Round(splits.Sum(s => s.Duration.TotalHours), 4));
            json.WriteEndObject();
            json.WriteStartArray("failures");
            foreach (var failure in failures)
            {
                json.WriteStartObject();
                json.WriteString("split", failure.Split);
                json.WriteNumber("index", failure.Index);
                json.WriteString("speaker", failure.SpeakerId);
                json.WriteString("text", failure.Text);
                json.WriteString("error", failure.Error);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        AtomicFile.WriteAllText(path, Encoding.UTF8.GetString(buffer.ToArray()) + "\n");
        return path;
    }

    private static void WriteOptions(Utf8JsonWriter json, CorpusOptions options)
    {
        json.WriteStartObject("options");
        json.WriteNumber("seed", options.Seed);
        json.WriteNumber("unlabelled_hours", options.UnlabelledHours);
        json.WriteStartArray("labelled_sets");
        foreach (var set in options.LabelledSets)
        {
            json.WriteStartObject();
            json.WriteString("name", set.Name);
            json.WriteNumber("minutes", set.Minutes);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("dev_minutes", options.DevMinutes);
        json.WriteNumber("test_minutes", options.TestMinutes);
        json.WriteNumber("speakers_per_voice", options.Speakers.SpeakersPerVoice);
        json.WriteNumber("held_out_voices_per_engine", options.Speakers.HeldOutVoicesPerEngine);
        WriteStrings(json, "unseen_engines", options.Speakers.UnseenEngines.Select(TtsEngineInfo.NameOf));
        WriteStrings(json, "channel_tests", options.ChannelTests.Distinct().Select(ChannelTestMaker.Name));
        if (options.Augmentation is { } a)
        {
            json.WriteStartObject("augmentation");
            json.WriteNumber("min_speed", a.MinSpeed);
            json.WriteNumber("max_speed", a.MaxSpeed);
            json.WriteNumber("min_gain_db", a.MinGainDb);
            json.WriteNumber("max_gain_db", a.MaxGainDb);
            json.WriteBoolean("add_noise", a.AddNoise);
            json.WriteNumber("min_snr_db", a.MinSnrDb);
            json.WriteNumber("max_snr_db", a.MaxSnrDb);
            json.WriteBoolean("augment_evaluation", a.AugmentEvaluation);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("augmentation");
        }
        json.WriteEndObject();
    }

    private static void WriteSpeakers(Utf8JsonWriter json, string name, IReadOnlyList<Speaker> speakers)
    {
        json.WriteStartArray(name);
        foreach (var s in speakers)
        {
            json.WriteStartObject();
            json.WriteString("id", s.Id);
            json.WriteString("engine", TtsEngineInfo.NameOf(s.Engine));
            json.WriteString("voice", s.Voice);
            if (s.Variant is null)
                json.WriteNull("variant");
            else
                json.WriteString("variant", s.Variant);
            json.WriteNumber("pitch", s.Pitch);
            json.WriteNumber("tempo", s.Tempo);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
}
