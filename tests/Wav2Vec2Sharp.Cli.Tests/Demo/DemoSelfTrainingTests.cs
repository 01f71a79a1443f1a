using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Demo;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.Tests.Cli;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Demo;

/// <summary>The demo's self-training step: the teacher's transcripts of the unlabelled split, scored against what was spoken.</summary>
public sealed class DemoSelfTrainingTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private string Folder => Path.Combine(_fixture.Temp.Root, "self_training");

    // the corpus's unlabelled.jsonl: audio paths relative to it, and the text the synthesiser spoke
    private string Unlabelled(params (string Wav, string Text)[] clips)
    {
        var path = Path.Combine(_fixture.Temp.Root, "corpus", "unlabelled.jsonl");
        var rows = clips.Select(c => new System.Text.Json.Nodes.JsonObject
        {
            ["audio_filepath"] = Path.GetRelativePath(Path.GetDirectoryName(path)!, c.Wav), ["text"] = c.Text, ["duration"] = 1.0,
        }.ToJsonString());
        File.WriteAllLines(path, rows);
        return path;
    }

    private DemoPseudoLabels Label(string unlabelled) =>
        DemoSelfTraining.Label(_fixture.Model, null, null, null, BeamSearchOptions.Default, unlabelled, Read(unlabelled), Folder, TextNormalizer.Default, null,
            CancellationToken.None);

    private static IReadOnlyList<LabelledUtterance> Read(string manifest) =>
        LabelledManifest.Read(manifest, new LabelledManifestOptions { Normalizer = TextNormalizer.Default }).Utterances;

    [Fact]
    public void Every_clip_gets_the_teachers_transcript_scored_against_the_spoken_text()
    {
        var expected = TextNormalizer.Default.Normalize(_fixture.ExpectedText());
        Assert.NotEmpty(expected);
        var first = _fixture.Wav("corpus/unlabelled/a.wav");
        var second = _fixture.Wav("corpus/unlabelled/b.wav");
        var unlabelled = Unlabelled((first, expected), (second, "ZZ " + expected));

        var labels = Label(unlabelled);

        Assert.Equal((Path.Combine(Folder, DemoSelfTraining.ManifestName), 2, 2), (labels.ManifestPath, labels.Clips, labels.Labelled));
        Assert.Equal(2.0, labels.Seconds, 6);
        Assert.Equal([(first, expected), (second, expected)], Read(labels.ManifestPath).Select(u => (u.AudioPath, u.Text)));
        // paths relative to the labels' folder, so that the demo folder can move
        Assert.StartsWith($"{{\"audio_filepath\":\"{Path.Combine("..", "corpus", "unlabelled", "a.wav")}\",", File.ReadLines(labels.ManifestPath).First());
        // the second clip's reference has one more word: one deletion
        int words = expected.Split(' ').Length;
        Assert.Equal(new ErrorCounts(2 * words, 0, 1, 0), labels.Words);
        Assert.Equal(1.0 / (2 * words + 1), labels.Words.Rate, 12);
    }

    [Fact]
    public void Labels_of_the_same_clips_are_reused_and_a_changed_split_is_labelled_again_unless_a_student_trained_on_the_old_labels()
    {
        var expected = TextNormalizer.Default.Normalize(_fixture.ExpectedText());
        var first = _fixture.Wav("corpus/unlabelled/a.wav");
        var unlabelled = Unlabelled((first, expected));
        var labels = Label(unlabelled);
        // mark the written labels: reading them back shows whether they were made again
        File.WriteAllLines(labels.ManifestPath, File.ReadAllLines(labels.ManifestPath).Select(line =>
        {
            var row = System.Text.Json.Nodes.JsonNode.Parse(line)!;
            row["text"] = "MARK";
            return row.ToJsonString();
        }));

        var reused = Label(unlabelled);
        Assert.Equal(["MARK"], Read(reused.ManifestPath).Select(u => u.Text));

        var second = _fixture.Wav("corpus/unlabelled/b.wav");
        unlabelled = Unlabelled((first, expected), (second, expected));
        var relabelled = Label(unlabelled);
        Assert.Equal([expected, expected], Read(relabelled.ManifestPath).Select(u => u.Text));
        Assert.Equal(0, relabelled.Words.Rate);

        File.WriteAllText(Path.Combine(Folder, Training.FineTuningRun.OptionsFile), "{}");   // a student trained here
        Unlabelled((first, expected));
        var e = Assert.Throws<Wav2Vec2SharpException>(() => Label(unlabelled));
        Assert.Equal($"{Folder} was self-trained on pseudo-labels of another teacher, LM or unlabelled split; give another output folder.", e.Message);
        Assert.Equal(2, Read(relabelled.ManifestPath).Count);
    }

    [Fact]
    public void An_unreadable_clip_is_named_and_no_labels_are_written()
    {
        var good = _fixture.Wav("corpus/unlabelled/a.wav");
        var corrupt = Path.Combine(_fixture.Temp.Root, "corpus", "unlabelled", "corrupt.wav");
        File.WriteAllText(corrupt, "RIFF not really");
        var unlabelled = Unlabelled((good, "A"), (corrupt, "B"));

        var e = Assert.Throws<Wav2Vec2SharpException>(() => Label(unlabelled));

        Assert.StartsWith($"{unlabelled}: 1 clip(s) could not be labelled, the first {corrupt}: ", e.Message);
        Assert.False(File.Exists(Path.Combine(Folder, DemoSelfTraining.ManifestName)));
        Assert.False(File.Exists(Path.Combine(Folder, DemoSelfTraining.FingerprintName)));
    }
}
