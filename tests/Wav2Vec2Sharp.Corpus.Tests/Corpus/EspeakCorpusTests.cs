using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Corpus;

/// <summary>
/// Synthesis with the real eSpeak NG. These tests need <c>espeak-ng</c> on the PATH (apt-get install espeak-ng) and fail
/// with that message when it is missing; leave them out with <c>--filter "Category!=Tts"</c>.
/// </summary>
[Trait("Category", "Tts")]
public sealed class EspeakCorpusTests
{
    private static void RequireEspeak()
    {
        if (EngineProbe.FindExecutable("espeak-ng") is null)
            Assert.Fail("espeak-ng is not installed: install it (apt-get install espeak-ng) or leave out the TTS tests with --filter \"Category!=Tts\".");
    }

    private static CorpusOptions TinyOptions(string output) => new()
    {
        OutputDirectory = output,
        Seed = 3,
        UnlabelledHours = 0,
        TestMinutes = 0,
        LabelledSets = [new("train", 0.15)],   // about 9 s: four utterances of these sentences
        DevMinutes = 0.15,
        Engines = [TtsEngine.Espeak],
        Sentences = SentenceSource.FromTexts(CorpusFixtures.Sentences(60), "fixture"),
        Speakers = new SpeakerCatalogOptions { SpeakersPerVoice = 1 },
    };

    [Fact]
    public void Probe_FindsEnglishEspeakVoices()
    {
        RequireEspeak();
        var catalog = SpeakerCatalog.Probe(seed: 1, engines: [TtsEngine.Espeak]);
        var espeak = Assert.Single(catalog.Engines);
        Assert.Contains("en-us", espeak.Voices);
        Assert.DoesNotContain(espeak.Voices, v => !v.StartsWith("en", StringComparison.Ordinal));
        Assert.NotEmpty(espeak.Variants);
        Assert.StartsWith("eSpeak NG", espeak.Version);
        Assert.Equal(4 * espeak.Voices.Count, catalog.TrainingSpeakers.Count + catalog.UnseenSpeakers.Count);
        Assert.Equal(4, catalog.UnseenSpeakers.Count); // one accent held out, four speakers per voice
        Assert.Single(catalog.UnseenVoices);
    }

    [Fact]
    public void Synthesize_MakesReadable16kHzWavsAndReusesThemOnTheSecondRun()
    {
        RequireEspeak();
        using var dir = new TempDir();
        var options = TinyOptions(dir.Root);

        var first = CorpusSynthesizer.Synthesize(options);

        Assert.Equal(["train", "dev"], first.Splits.Select(s => s.Name));
        Assert.Empty(first.Failures);
        foreach (var split in first.Splits)
        {
            Assert.InRange(split.Utterances, 2, 8);
            var manifest = AudioManifest.Read(split.TsvPath);
            Assert.Equal(split.Utterances, manifest.Entries.Count);
            foreach (var entry in manifest.Entries)
            {
                var clip = AudioFile.Read(entry.Path);
                Assert.Equal((16000, 1), (clip.SampleRate, clip.Channels));
                Assert.Equal(entry.NumSamples, clip.Samples.Length);
                Assert.InRange(clip.Duration.TotalSeconds, 1, 10);
                Assert.True(Signals.Rms(clip.Samples) > 0.01, $"{entry.Path} is silent");
            }
            Assert.All(CorpusFixtures.ReadJsonl(split.JsonlPath), r => Assert.StartsWith("espeak-en", r.Speaker));
        }
        Assert.True(first.SynthesizedSeconds > 10);
        var stamps = Directory.GetFiles(dir.Root, "*.wav", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = CorpusSynthesizer.Synthesize(options);

        Assert.Equal(0.0, second.SynthesizedSeconds);
        Assert.All(second.Splits, s => Assert.Equal(0, s.Synthesized));
        Assert.Equal(first.Splits.Select(s => (s.Utterances, s.Samples)), second.Splits.Select(s => (s.Utterances, s.Samples)));
        Assert.Equal(stamps, Directory.GetFiles(dir.Root, "*.wav", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc));
    }

    [Fact]
    public async Task ExternalEngine_ReportsAMissingVoiceAsAFailure()
    {
        RequireEspeak();
        var info = new TtsEngineInfo(TtsEngine.Espeak, EngineProbe.FindExecutable("espeak-ng")!, "test", ["zzz-nonexistent"], []);
        var engine = new ExternalSpeechEngine(info, TimeSpan.FromSeconds(30));
        using var dir = new TempDir();
        var e = await Assert.ThrowsAsync<SpeechEngineException>(() =>
            engine.SynthesizeAsync(new Speaker(TtsEngine.Espeak, "zzz-nonexistent", null, 1, 1), "hello there my friend", Path.Combine(dir.Root, "x.wav"), CancellationToken.None));
        Assert.Contains("exited with code 1", e.Message);
        Assert.Contains("voice does not exist", e.Message);
    }
}
