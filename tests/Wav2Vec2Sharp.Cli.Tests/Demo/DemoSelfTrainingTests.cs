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

    // the corpus's unlabelled.jsonl: audio and the text the synthesiser spoke
    private string Unlabelled(params (string Wav, string Text)[] clips)
    {
        var path = Path.Combine(_fixture.Temp.Root, "corpus", "unlabelled.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, clips.Select(c => $"{{\"audio_filepath\":\"{c.Wav}\",\"text\":\"{c.Text}\",\"duration\":1.0}}"));
        return path;
    }

    private DemoPseudoLabels Label(string teacher, string unlabelled) =>
        DemoSelfTraining.Label(teacher, null, null, BeamSearchOptions.Default, unlabelled, Folder, TextNormalizer.Default, null, CancellationToken.None);

    [Fact]
    public void Every_clip_gets_the_teachers_transcript_scored_against_the_spoken_text_and_the_labels_are_reused()
    {
        var expected = TextNormalizer.Default.Normalize(_fixture.ExpectedText());
        Assert.NotEmpty(expected);
        var first = _fixture.Wav("corpus/unlabelled/a.wav");
        var second = _fixture.Wav("corpus/unlabelled/b.wav");
        var unlabelled = Unlabelled((first, expected), (second, "ZZ " + expected));

        var labels = Label(_fixture.Model, unlabelled);

        Assert.Equal((Path.Combine(Folder, DemoSelfTraining.ManifestName), 2, 2), (labels.ManifestPath, labels.Clips, labels.Labelled));
        Assert.Equal(2.0, labels.Seconds, 6);
        var written = LabelledManifest.Read(labels.ManifestPath, new LabelledManifestOptions { Normalizer = TextNormalizer.Default }).Utterances;
        Assert.Equal([(first, expected), (second, expected)], written.Select(u => (u.AudioPath, u.Text)));
        // the second clip's reference has one more word: one deletion
        int words = expected.Split(' ').Length;
        Assert.Equal(new ErrorCounts(2 * words, 0, 1, 0), labels.Words);
        Assert.Equal(1.0 / (2 * words + 1), labels.Words.Rate, 12);

        // a second run reads the labels back instead of loading the teacher again
        var again = Label(Path.Combine(_fixture.Temp.Root, "no-such-model"), unlabelled);
        Assert.Equal(labels, again);
    }

    [Fact]
    public void An_unreadable_clip_is_named_and_no_labels_are_written()
    {
        var good = _fixture.Wav("corpus/unlabelled/a.wav");
        var corrupt = Path.Combine(_fixture.Temp.Root, "corpus", "unlabelled", "corrupt.wav");
        File.WriteAllText(corrupt, "RIFF not really");
        var unlabelled = Unlabelled((good, "A"), (corrupt, "B"));

        var e = Assert.Throws<Wav2Vec2SharpException>(() => Label(_fixture.Model, unlabelled));

        Assert.StartsWith($"{unlabelled}: 1 clip(s) could not be labelled, the first {corrupt}: ", e.Message);
        Assert.False(File.Exists(Path.Combine(Folder, DemoSelfTraining.ManifestName)));
    }
}
