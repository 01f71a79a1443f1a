using System.Text.Json;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Corpus;

/// <summary>The channel-shift test sets made from test_seen (<see cref="CorpusOptions.ChannelTests"/>).</summary>
public sealed class ChannelTestSetTests
{
    private static readonly ChannelTest[] InProcess = [ChannelTest.Telephone, ChannelTest.Reverb, ChannelTest.Noise10];

    [Fact]
    public void ChannelTests_HoldTestSeensUtterancesAndTextsThroughTheChannel()
    {
        using var dir = new TempDir();
        var result = CorpusFixtures.Run(CorpusFixtures.SmallOptions(dir.Root) with { ChannelTests = InProcess }, new FakeSpeechEngine());

        Assert.Equal(["unlabelled", "train_5s", "train_10s", "dev", "test_seen", "test_unseen", "test_seen_telephone", "test_seen_reverb", "test_seen_noise10"],
            result.Splits.Select(s => s.Name));
        var seen = result.Splits.Single(s => s.Name == "test_seen");
        var seenRows = CorpusFixtures.ReadJsonl(seen.JsonlPath);
        using var report = JsonDocument.Parse(File.ReadAllText(result.ReportPath));
        var reported = report.RootElement.GetProperty("splits").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["telephone", "reverb", "noise10"],
            report.RootElement.GetProperty("options").GetProperty("channel_tests").EnumerateArray().Select(e => e.GetString()));
        foreach (var channel in InProcess)
        {
            var name = "test_seen_" + channel.ToString().ToLowerInvariant();
            var split = result.Splits.Single(s => s.Name == name);
            Assert.Equal(CorpusSplitKind.ChannelTest, split.Kind);
            Assert.Equal((seen.Utterances, seen.Samples, seen.Complete), (split.Utterances, split.Samples, split.Complete));
            Assert.Equal(seen.SpeakerIds, split.SpeakerIds);

            var rows = CorpusFixtures.ReadJsonl(split.JsonlPath);
            Assert.Equal(seenRows.Select(r => (r.Text, r.Duration, r.Speaker)), rows.Select(r => (r.Text, r.Duration, r.Speaker)));
            Assert.All(rows, r => Assert.StartsWith(name + "/", r.Path));
            Assert.Equal(File.ReadAllLines(Path.ChangeExtension(seen.TsvPath, ".wrd")), File.ReadAllLines(Path.ChangeExtension(split.TsvPath, ".wrd")));
            Assert.Equal(File.ReadAllLines(Path.ChangeExtension(seen.TsvPath, ".ltr")), File.ReadAllLines(Path.ChangeExtension(split.TsvPath, ".ltr")));
            var tsv = LabelledManifest.Read(split.TsvPath);
            Assert.Equal(rows.Count, tsv.Utterances.Count);
            for (int i = 0; i < rows.Count; i++)
            {
                var clean = AudioFile.Read(Path.Combine(dir.Root, seenRows[i].Path));
                var through = AudioFile.Read(Path.Combine(dir.Root, rows[i].Path));
                Assert.Equal((16000, 1, "wav"), (through.SampleRate, through.Channels, through.Format));
                Assert.Equal(clean.Samples.Length, through.Samples.Length);
                Assert.NotEqual(clean.Samples, through.Samples);
                if (channel != ChannelTest.Telephone) // the fake voices' 100-200 Hz sines lie below the telephone band
                    Assert.InRange(Signals.Rms(through.Samples), 0.5 * Signals.Rms(clean.Samples), 2 * Signals.Rms(clean.Samples));
            }
            Assert.Equal("channel_test", reported[name].GetProperty("kind").GetString());
            Assert.Equal("test_seen", reported[name].GetProperty("source").GetString());
        }
    }

    [Fact]
    public void ChannelTests_SecondRunReusesEveryFile_AndAnotherFolderGetsTheSameFiles()
    {
        using var dir = new TempDir();
        var options = CorpusFixtures.SmallOptions(dir.Root) with { ChannelTests = InProcess };
        CorpusFixtures.Run(options, new FakeSpeechEngine());
        var files = Directory.GetFiles(Path.Combine(dir.Root, "test_seen_reverb")).Order().ToArray();
        var bytes = files.Select(File.ReadAllBytes).ToArray();

        var again = CorpusFixtures.Run(options with { Parallelism = 1 }, new FakeSpeechEngine());

        foreach (var split in again.Splits.Where(s => s.Kind == CorpusSplitKind.ChannelTest))
            Assert.Equal((0, split.Utterances), (split.Synthesized, split.Reused));
        Assert.Equal(files, Directory.GetFiles(Path.Combine(dir.Root, "test_seen_reverb")).Order());
        Assert.Equal(bytes, files.Select(File.ReadAllBytes));

        // The same corpus in another folder gives the same files: the rooms are drawn from the seed and the utterance.
        using var other = new TempDir();
        CorpusFixtures.Run(options with { OutputDirectory = other.Root, ChannelTests = [ChannelTest.Reverb], Parallelism = 3 }, new FakeSpeechEngine());
        var otherFiles = Directory.GetFiles(Path.Combine(other.Root, "test_seen_reverb")).Order().ToArray();
        Assert.Equal(files.Select(Path.GetFileName), otherFiles.Select(Path.GetFileName));
        Assert.Equal(bytes, otherFiles.Select(File.ReadAllBytes));
    }

    [Fact]
    public void ChannelTests_Mp3WithoutLame_IsRefusedBeforeAnythingIsMade()
    {
        using var dir = new TempDir();
        var corpus = Path.Combine(dir.Root, "corpus");
        var engine = new FakeSpeechEngine();
        var options = CorpusFixtures.SmallOptions(corpus) with { ChannelTests = [ChannelTest.Telephone, ChannelTest.Mp3], LameProgram = "/nonexistent/lame" };

        var error = Assert.Throws<CorpusException>(() => CorpusFixtures.Run(options, engine));

        Assert.Equal("The mp3 channel test needs the LAME MP3 encoder, but '/nonexistent/lame' is not installed (or does not run): "
            + "install it (apt-get install lame), or leave mp3 out of the channel tests.", error.Message);
        Assert.Equal(0, engine.Calls);
        Assert.False(Directory.Exists(corpus));
    }

    [Fact]
    public void ChannelTests_WithoutTestSets_AreRefused()
    {
        using var dir = new TempDir();
        var options = CorpusFixtures.SmallOptions(dir.Root) with { TestMinutes = 0, ChannelTests = [ChannelTest.Telephone] };

        var error = Assert.Throws<CorpusException>(() => CorpusFixtures.Run(options, new FakeSpeechEngine()));

        Assert.Contains("TestMinutes must be above 0", error.Message);
    }

    [Fact]
    public void CodecDelay_FindsTheShiftOfADelayedCopy()
    {
        var random = new Random(4);
        var source = Enumerable.Range(0, 8000).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var delayed = new float[source.Length + 3000];
        Array.Copy(source, 0, delayed, 1105, source.Length);

        Assert.Equal(1105, ChannelTestMaker.CodecDelay(source, delayed));
    }
}

/// <summary>The mp3 channel with the real LAME encoder (apt-get install lame); left out with the TTS tests by <c>--filter "Category!=Tts"</c>.</summary>
[Trait("Category", "Tts")]
public sealed class LameChannelTestTests
{
    [Fact]
    public void Mp3ChannelTest_RoundTripsThroughLameAndKeepsLengthAndTexts()
    {
        if (EngineProbe.FindExecutable("lame") is null)
            Assert.Fail("lame is not installed: install it (apt-get install lame) or leave out the tests that need external programs with --filter \"Category!=Tts\".");
        using var dir = new TempDir();
        var options = CorpusFixtures.SmallOptions(dir.Root) with { ChannelTests = [ChannelTest.Mp3] };

        var result = CorpusFixtures.Run(options, new FakeSpeechEngine());

        var seenRows = CorpusFixtures.ReadJsonl(Path.Combine(dir.Root, "test_seen.jsonl"));
        var split = result.Splits.Single(s => s.Name == "test_seen_mp3");
        var rows = CorpusFixtures.ReadJsonl(split.JsonlPath);
        Assert.Equal(seenRows.Select(r => (r.Text, r.Duration, r.Speaker)), rows.Select(r => (r.Text, r.Duration, r.Speaker)));
        for (int i = 0; i < rows.Count; i++)
        {
            var clean = AudioFile.Read(Path.Combine(dir.Root, seenRows[i].Path)).Samples;
            var decoded = AudioFile.Read(Path.Combine(dir.Root, rows[i].Path)).Samples;
            Assert.NotEqual(clean, decoded);
            // The codec delay is removed: the decoded sine lines up with its source.
            int margin = 2000, length = clean.Length - 2 * margin;
            Assert.True(Signals.Correlation(clean.AsSpan(margin, length), decoded.AsSpan(margin, length)) > 0.9);
        }
        Assert.Empty(Directory.GetFiles(split.Folder, ".*"));
        Assert.Equal(0, CorpusFixtures.Run(options, new FakeSpeechEngine()).Splits.Single(s => s.Name == "test_seen_mp3").Synthesized);
    }
}
