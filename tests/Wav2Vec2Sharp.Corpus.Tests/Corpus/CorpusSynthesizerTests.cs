using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Corpus;

/// <summary>The whole pipeline with a fake engine (no speech engine needed).</summary>
public sealed class CorpusSynthesizerTests
{
    private static readonly string[] AllSplits = ["unlabelled", "train_5s", "train_10s", "dev", "test_seen", "test_unseen"];

    [Fact]
    public void Synthesize_WritesSplitsOf16kHzMonoWavsAndMatchingManifests()
    {
        using var dir = new TempDir();
        var engine = new FakeSpeechEngine();
        var result = CorpusFixtures.Run(CorpusFixtures.SmallOptions(dir.Root), engine);

        Assert.Equal(AllSplits, result.Splits.Select(s => s.Name));
        foreach (var split in result.Splits)
        {
            Assert.True(split.Complete);
            var rows = CorpusFixtures.ReadJsonl(split.JsonlPath);
            Assert.Equal(split.Utterances, rows.Count);
            var tsv = AudioManifest.Read(split.TsvPath);
            Assert.Equal(Path.Combine(dir.Root, split.Name), tsv.Root);
            Assert.Equal(rows.Select(r => Path.GetFullPath(Path.Combine(dir.Root, r.Path))), tsv.Entries.Select(e => e.Path));
            Assert.Equal(split.Samples, tsv.TotalSamples);
            for (int i = 0; i < rows.Count; i++)
            {
                var clip = AudioFile.Read(tsv.Entries[i].Path);
                Assert.Equal((16000, 1, "wav"), (clip.SampleRate, clip.Channels, clip.Format));
                Assert.Equal(tsv.Entries[i].NumSamples, clip.Samples.Length);
                Assert.Equal(clip.Samples.Length / 16000.0, rows[i].Duration, 9);
            }
            // The split stops at the first utterance that reaches its duration.
            double target = split.Name switch { "unlabelled" => 20, "train_5s" => 5, "train_10s" => 10, _ => 6 };
            Assert.True(split.Duration.TotalSeconds >= target);
            Assert.True(split.Duration.TotalSeconds - rows[^1].Duration < target);
            if (split.Kind != CorpusSplitKind.Unlabelled)
            {
                var labelled = LabelledManifest.Read(split.TsvPath);
                Assert.Equal(rows.Select(r => r.Text), labelled.Utterances.Select(u => u.Text.ToLowerInvariant()));
                Assert.Equal(rows.Count, File.ReadAllLines(Path.ChangeExtension(split.TsvPath, ".ltr")).Length);
                Assert.Equal(rows.Select(r => r.Text), File.ReadAllLines(Path.ChangeExtension(split.TsvPath, ".wrd")));
                Assert.Equal(rows.Count, LabelledManifest.Read(split.JsonlPath).Utterances.Count);
            }
        }
        Assert.True(File.Exists(Path.Combine(dir.Root, "corpus.json")));
        Assert.Empty(result.Failures);
    }

    [Fact]
    public void Synthesize_KeepsSentencesDisjointAndUnseenSpeakersOutOfTraining()
    {
        using var dir = new TempDir();
        var result = CorpusFixtures.Run(CorpusFixtures.SmallOptions(dir.Root), new FakeSpeechEngine());
        var rows = result.Splits.ToDictionary(s => s.Name, s => CorpusFixtures.ReadJsonl(s.JsonlPath));
        string[] disjoint = ["train_10s", "dev", "test_seen", "test_unseen"];
        foreach (var a in disjoint)
        {
            foreach (var b in disjoint.Where(b => b != a))
                Assert.Empty(rows[a].Select(r => r.Text).Intersect(rows[b].Select(r => r.Text)));
        }
        foreach (var eval in new[] { "dev", "test_seen", "test_unseen" })
            Assert.Empty(rows["unlabelled"].Select(r => r.Text).Intersect(rows[eval].Select(r => r.Text)));
        // The smaller labelled set is a prefix of the larger one.
        Assert.Equal(rows["train_10s"].Take(rows["train_5s"].Count).Select(r => (r.Text, r.Speaker)), rows["train_5s"].Select(r => (r.Text, r.Speaker)));

        var unseen = result.Speakers.UnseenSpeakers.Select(s => s.Id).ToHashSet();
        var unseenVoices = result.Speakers.UnseenSpeakers.Select(s => s.VoiceId).ToHashSet();
        Assert.All(rows["test_unseen"], r => Assert.Contains(r.Speaker, unseen));
        foreach (var split in AllSplits.Where(s => s != "test_unseen"))
            Assert.All(rows[split], r => Assert.DoesNotContain(r.Speaker, unseen));
        Assert.DoesNotContain(result.Speakers.TrainingSpeakers, s => unseenVoices.Contains(s.VoiceId));
    }

    [Fact]
    public void Synthesize_IsDeterministicWhateverTheParallelism()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var augmented = CorpusFixtures.SmallOptions(a.Root) with { Augmentation = AugmentationOptions.Default };
        CorpusFixtures.Run(augmented with { Parallelism = 1 }, new FakeSpeechEngine());
        CorpusFixtures.Run(augmented with { OutputDirectory = b.Root, Parallelism = 3 }, new FakeSpeechEngine());

        Assert.Equal(File.ReadAllText(Path.Combine(a.Root, "corpus.json")), File.ReadAllText(Path.Combine(b.Root, "corpus.json")));
        foreach (var split in AllSplits)
        {
            var jsonl = File.ReadAllText(Path.Combine(a.Root, split + ".jsonl"));
            Assert.Equal(jsonl, File.ReadAllText(Path.Combine(b.Root, split + ".jsonl")));
            foreach (var row in CorpusFixtures.ReadJsonl(Path.Combine(a.Root, split + ".jsonl")))
                Assert.Equal(File.ReadAllBytes(Path.Combine(a.Root, row.Path)), File.ReadAllBytes(Path.Combine(b.Root, row.Path)));
        }
    }

    [Fact]
    public void Synthesize_AugmentsTrainingSplitsOnly()
    {
        using var clean = new TempDir();
        using var noisy = new TempDir();
        CorpusFixtures.Run(CorpusFixtures.SmallOptions(clean.Root), new FakeSpeechEngine());
        CorpusFixtures.Run(CorpusFixtures.SmallOptions(noisy.Root) with { Augmentation = AugmentationOptions.Default }, new FakeSpeechEngine());

        var cleanDev = File.ReadAllText(Path.Combine(clean.Root, "dev.jsonl"));
        Assert.Equal(cleanDev, File.ReadAllText(Path.Combine(noisy.Root, "dev.jsonl")));
        var cleanTrain = CorpusFixtures.ReadJsonl(Path.Combine(clean.Root, "train_10s.jsonl"));
        var noisyTrain = CorpusFixtures.ReadJsonl(Path.Combine(noisy.Root, "train_10s.jsonl"));
        Assert.Equal(cleanTrain[0].Text, noisyTrain[0].Text);
        Assert.NotEqual(cleanTrain[0].Path, noisyTrain[0].Path); // the augmentation is part of the file's key
        var before = AudioFile.Read(Path.Combine(clean.Root, cleanTrain[0].Path)).Samples;
        var after = AudioFile.Read(Path.Combine(noisy.Root, noisyTrain[0].Path)).Samples;
        Assert.InRange(after.Length, (int)(before.Length / 1.051), (int)(before.Length / 0.949) + 1);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Synthesize_SecondRunReusesEveryFile()
    {
        using var dir = new TempDir();
        var options = CorpusFixtures.SmallOptions(dir.Root);
        var first = new FakeSpeechEngine();
        CorpusFixtures.Run(options, first);
        var stamps = WavStamps(dir.Root);
        var report = File.ReadAllText(Path.Combine(dir.Root, "corpus.json"));
        Assert.True(first.Calls > 0);

        var second = new FakeSpeechEngine();
        var result = CorpusFixtures.Run(options, second);

        Assert.Equal(0, second.Calls);
        Assert.Equal(0.0, result.SynthesizedSeconds);
        Assert.All(result.Splits, s => Assert.Equal(0, s.Synthesized));
        Assert.Equal(stamps, WavStamps(dir.Root));
        Assert.Equal(report, File.ReadAllText(Path.Combine(dir.Root, "corpus.json")));
    }

    [Fact]
    public void Synthesize_NeverReusesLeftoverOrBrokenFiles()
    {
        using var dir = new TempDir();
        var options = CorpusFixtures.SmallOptions(dir.Root);
        CorpusFixtures.Run(options, new FakeSpeechEngine());
        var rows = CorpusFixtures.ReadJsonl(Path.Combine(dir.Root, "dev.jsonl"));
        var missing = Path.Combine(dir.Root, rows[0].Path);
        var truncated = Path.Combine(dir.Root, rows[1].Path);
        var good = File.ReadAllBytes(missing);
        // A run killed while writing leaves a temporary file (AtomicFile's name pattern) and no final file …
        File.Delete(missing);
        var leftover = Path.Combine(Path.GetDirectoryName(missing)!, $".{Path.GetFileName(missing)}.4242.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(leftover, good.AsSpan(0, good.Length / 2).ToArray());
        var engineLeftover = Path.Combine(Path.GetDirectoryName(missing)!, $".{Path.GetFileName(missing)}.0123.engine.wav");
        File.WriteAllBytes(engineLeftover, [1, 2, 3]);
        // … and a final file that is broken anyway (written by something else) must not be trusted either.
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated).AsSpan(0, 30).ToArray());

        var engine = new FakeSpeechEngine();
        CorpusFixtures.Run(options, engine);

        Assert.Equal(2, engine.Calls);
        Assert.False(File.Exists(leftover));
        Assert.False(File.Exists(engineLeftover));
        Assert.Equal(good, File.ReadAllBytes(missing));
        Assert.Equal((int)Math.Round(rows[1].Duration * 16000), AudioFile.Read(truncated).Samples.Length);
        Assert.Equal(rows, CorpusFixtures.ReadJsonl(Path.Combine(dir.Root, "dev.jsonl")));
    }

    [Fact]
    public void Synthesize_ReportsAndSkipsASentenceTheEngineFailsOn()
    {
        using var dir = new TempDir();
        var progress = new RecordingProgress();
        var engine = new FakeSpeechEngine { FailOnWord = "bicycle" };
        var result = CorpusFixtures.Run(CorpusFixtures.SmallOptions(dir.Root), engine, progress);

        Assert.NotEmpty(result.Failures);
        Assert.All(result.Failures, f => Assert.Contains("bicycle", f.Text));
        Assert.All(result.Failures, f => Assert.Contains("fake engine refuses", f.Error));
        Assert.Equal(result.Failures.Count, progress.Reports.Count(r => r.Failure is not null));
        foreach (var split in result.Splits)
        {
            Assert.True(split.Complete);
            Assert.DoesNotContain(CorpusFixtures.ReadJsonl(split.JsonlPath), r => r.Text.Contains("bicycle"));
        }
        Assert.Contains("fake engine refuses", File.ReadAllText(Path.Combine(dir.Root, "corpus.json")));
    }

    [Fact]
    public void Synthesize_StopsWhenTheEngineFailsOnEverything()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<CorpusException>(() => CorpusFixtures.Run(CorpusFixtures.SmallOptions(dir.Root), new FakeSpeechEngine { FailAll = true }));
        Assert.Contains("fake engine refuses", e.Message);
    }

    [Fact]
    public void Synthesize_DeletesFilesOfOtherSettings()
    {
        using var dir = new TempDir();
        CorpusFixtures.Run(CorpusFixtures.SmallOptions(dir.Root), new FakeSpeechEngine());
        var old = Directory.GetFiles(Path.Combine(dir.Root, "dev"));
        var mine = Path.Combine(dir.Root, "dev", "notes.wav");
        File.WriteAllText(mine, "not ours");

        CorpusFixtures.Run(CorpusFixtures.SmallOptions(dir.Root) with { Seed = 8 }, new FakeSpeechEngine());

        Assert.All(old, f => Assert.False(File.Exists(f)));
        Assert.True(File.Exists(mine));
    }

    [Fact]
    public void Synthesize_RejectsInvalidOptions()
    {
        using var dir = new TempDir();
        var options = CorpusFixtures.SmallOptions(dir.Root);
        Assert.Throws<CorpusException>(() => CorpusFixtures.Run(options with { LabelledSets = [new("dev", 1)] }, new FakeSpeechEngine()));
        Assert.Throws<CorpusException>(() => CorpusFixtures.Run(options with { LabelledSets = [new("a/b", 1)] }, new FakeSpeechEngine()));
        Assert.Throws<CorpusException>(() => CorpusFixtures.Run(options with { DevMinutes = -1 }, new FakeSpeechEngine()));
        Assert.Throws<CorpusException>(() => CorpusFixtures.Run(options with { Parallelism = 0 }, new FakeSpeechEngine()));
        Assert.Throws<CorpusException>(() => CorpusFixtures.Run(options with { Augmentation = new AugmentationOptions { MinSpeed = 1.2, MaxSpeed = 1.1 } }, new FakeSpeechEngine()));
    }

    [Fact]
    public void Synthesize_RefusesAFolderAnotherRunHolds()
    {
        using var dir = new TempDir();
        using var held = new FileStream(Path.Combine(dir.Root, ".corpus.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var e = Assert.Throws<CorpusException>(() => CorpusFixtures.Run(CorpusFixtures.SmallOptions(dir.Root), new FakeSpeechEngine()));
        Assert.Contains("Another run is writing the corpus", e.Message);
    }

    [Fact]
    public void Synthesize_CancelledMidway_LeavesOnlyFinishedFilesAndTheNextRunCompletes()
    {
        using var dir = new TempDir();
        using var cancel = new CancellationTokenSource();
        var options = CorpusFixtures.SmallOptions(dir.Root);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            CorpusFixtures.Run(options, new FakeSpeechEngine { CancelAfter = (5, cancel) }, cancellationToken: cancel.Token));
        var files = Directory.GetFiles(dir.Root, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToArray();
        Assert.DoesNotContain(files, f => f!.StartsWith('.') && f != ".corpus.lock");
        Assert.All(Directory.GetFiles(dir.Root, "*.wav", SearchOption.AllDirectories), f => Assert.NotNull(AudioFile.Read(f)));

        var engine = new FakeSpeechEngine();
        var result = CorpusFixtures.Run(options, engine);
        Assert.All(result.Splits, s => Assert.True(s.Complete));
        Assert.Equal(result.Splits.Sum(s => s.Synthesized), engine.Calls);
    }

    private static Dictionary<string, DateTime> WavStamps(string root) =>
        Directory.GetFiles(root, "*.wav", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
}
