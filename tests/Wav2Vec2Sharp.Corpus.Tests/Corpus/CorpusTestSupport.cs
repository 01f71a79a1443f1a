using Wav2Vec2Sharp.Corpus;

namespace Wav2Vec2Sharp.Tests.Corpus;

/// <summary>
/// A speech engine without a program: writes a 22.05 kHz 16-bit sine whose length grows with the text and whose
/// frequency follows the speaker's pitch, so the whole corpus pipeline can be tested without eSpeak NG.
/// </summary>
internal sealed class FakeSpeechEngine : ISpeechEngine
{
    private int _calls;

    /// <summary>Sentences containing this word fail, as an engine that chokes on one sentence would.</summary>
    public string? FailOnWord { get; init; }

    /// <summary>Fail every sentence.</summary>
    public bool FailAll { get; init; }

    /// <summary>Cancelled after this many calls, as a user pressing Ctrl+C mid-run would.</summary>
    public (int Calls, CancellationTokenSource Source)? CancelAfter { get; init; }

    public string Version => "fake 1.0";

    public int Calls => Volatile.Read(ref _calls);

    public Task SynthesizeAsync(Speaker speaker, string text, string wavPath, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) == CancelAfter?.Calls)
            CancelAfter.Value.Source.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        if (FailAll || (FailOnWord is { } word && text.Split(' ').Contains(word)))
            throw new SpeechEngineException($"fake engine refuses \"{text}\"");
        const int rate = 22050;
        int length = (int)(rate * (0.2 + 0.05 * text.Length / speaker.Tempo));
        var samples = new float[length];
        double frequency = 120 * speaker.Pitch + (speaker.Voice.Length * 7 % 50);
        for (int i = 0; i < length; i++)
            samples[i] = (float)(0.3 * Math.Sin(2 * Math.PI * frequency * i / rate));
        using var stream = File.Create(wavPath);
        Pcm16Wav.Write(stream, samples, rate);
        return Task.CompletedTask;
    }
}

/// <summary>Sentences, engines and options shared by the corpus tests.</summary>
internal static class CorpusFixtures
{
    private static readonly string[] Subjects = ["the old farmer", "a quiet student", "my younger sister", "the tired baker", "our new neighbour", "a clever painter", "the local doctor", "his best friend"];
    private static readonly string[] Verbs = ["carried", "painted", "found", "sold", "borrowed", "repaired", "noticed", "wanted"];
    private static readonly string[] Objects = ["a wooden chair", "the broken clock", "some fresh bread", "an empty basket", "the red bicycle", "a heavy parcel", "the silver spoon", "a paper lantern"];
    private static readonly string[] Times = ["this morning", "last winter", "before dinner", "on sunday"];

    /// <summary>Up to 2048 distinct clean sentences of 7–10 words, in a fixed order.</summary>
    public static IReadOnlyList<string> Sentences(int count)
    {
        var sentences = new List<string>(count);
        foreach (var time in Times)
            foreach (var subject in Subjects)
                foreach (var verb in Verbs)
                    foreach (var obj in Objects)
                    {
                        if (sentences.Count == count)
                            return sentences;
                        sentences.Add($"{subject} {verb} {obj} {time}");
                    }
        return sentences;
    }

    /// <summary>Two fake engines: three eSpeak accents with two variants, and two Flite voices.</summary>
    public static IReadOnlyList<TtsEngineInfo> Engines { get; } =
    [
        new(TtsEngine.Espeak, "/fake/espeak-ng", "fake 1.0", ["en-029", "en-gb", "en-us"], ["f1", "m1"]),
        new(TtsEngine.Flite, "/fake/flite", "fake 1.0", ["kal16", "slt"], []),
    ];

    public static IReadOnlyDictionary<TtsEngine, ISpeechEngine> FakeEngines(FakeSpeechEngine engine) =>
        new Dictionary<TtsEngine, ISpeechEngine> { [TtsEngine.Espeak] = engine, [TtsEngine.Flite] = engine };

    /// <summary>Small splits: about 20 s of unlabelled audio, 5 and 10 s labelled sets, 6 s dev and test sets.</summary>
    public static CorpusOptions SmallOptions(string output) => new()
    {
        OutputDirectory = output,
        Seed = 7,
        UnlabelledHours = 20.0 / 3600,
        LabelledSets = [new("train_5s", 5.0 / 60), new("train_10s", 10.0 / 60)],
        DevMinutes = 0.1,
        TestMinutes = 0.1,
        Parallelism = 2,
        Speakers = new SpeakerCatalogOptions { SpeakersPerVoice = 2 },
    };

    public static CorpusResult Run(CorpusOptions options, FakeSpeechEngine engine, IProgress<CorpusProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var sentences = SentenceSource.FromTexts(Sentences(400), "fixture");
        var catalog = SpeakerCatalog.Create(Engines, options.Seed, options.Speakers);
        return CorpusSynthesizer.RunAsync(options, sentences, catalog, FakeEngines(engine), progress, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>The (relative path, text, duration, speaker) rows of a JSON-lines manifest.</summary>
    public static IReadOnlyList<(string Path, string Text, double Duration, string Speaker)> ReadJsonl(string path) =>
        File.ReadAllLines(path).Select(line =>
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            var root = json.RootElement;
            return (root.GetProperty("audio_filepath").GetString()!, root.GetProperty("text").GetString()!,
                root.GetProperty("duration").GetDouble(), root.GetProperty("speaker").GetString()!);
        }).ToArray();
}

/// <summary>An <see cref="IProgress{T}"/> that records reports synchronously (unlike <see cref="Progress{T}"/>).</summary>
internal sealed class RecordingProgress : IProgress<CorpusProgress>
{
    private readonly List<CorpusProgress> _reports = [];

    public IReadOnlyList<CorpusProgress> Reports
    {
        get
        {
            lock (_reports)
                return _reports.ToArray();
        }
    }

    public void Report(CorpusProgress value)
    {
        lock (_reports)
            _reports.Add(value);
    }
}
