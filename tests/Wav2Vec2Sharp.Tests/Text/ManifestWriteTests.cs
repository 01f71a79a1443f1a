using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Text;

using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Tests.Text;

public sealed class ManifestWriteTests
{
    [Fact]
    public void Fairseq_files_are_written_under_the_common_root_and_read_back()
    {
        using var dir = new TempDir();
        var a = dir.Wav("corpus/x/a.wav", 1600);
        var b = dir.Wav("corpus/y/b.wav", 4000);
        var tsv = Path.Combine(dir.Root, "out", "train.tsv");
        LabelledUtterance[] rows = [new(a, "HELLO WORLD", 1600), new(b, "IT'S  FINE", null)];

        LabelledManifest.WriteFairseq(tsv, rows);

        Assert.Equal($"{Path.Combine(dir.Root, "corpus")}\nx/a.wav\t1600\ny/b.wav\t4000\n", File.ReadAllText(tsv));
        Assert.Equal("H E L L O | W O R L D |\nI T ' S | F I N E |\n", File.ReadAllText(Path.ChangeExtension(tsv, ".ltr")));
        Assert.Equal("HELLO WORLD\nIT'S FINE\n", File.ReadAllText(Path.ChangeExtension(tsv, ".wrd")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(tsv)!, "*.tmp"));
        var read = LabelledManifest.Read(tsv);
        Assert.Equal([new LabelledUtterance(a, "HELLO WORLD", 1600), new LabelledUtterance(b, "IT'S FINE", 4000)], read.Utterances);
    }

    [Fact]
    public void Fairseq_root_can_be_given_and_unmeasurable_audio_is_an_error()
    {
        using var dir = new TempDir();
        var a = dir.Wav("a.wav");
        var tsv = Path.Combine(dir.Root, "m.tsv");

        LabelledManifest.WriteFairseq(tsv, [new LabelledUtterance(a, "A", 5)], root: Path.GetTempPath());
        Assert.StartsWith(Path.TrimEndingDirectorySeparator(Path.GetTempPath()) + "\n" + Path.GetRelativePath(Path.GetTempPath(), a) + "\t5\n", File.ReadAllText(tsv));

        var broken = dir.Text("broken.wav", "not audio");
        var error = Assert.Throws<ManifestException>(() => LabelledManifest.WriteFairseq(tsv, [new LabelledUtterance(broken, "A", null)]));
        Assert.StartsWith(broken + ": cannot measure its length", error.Message);
        Assert.Contains("\t5\n", File.ReadAllText(tsv)); // the earlier manifest is untouched
    }

    [Fact]
    public void Fairseq_writing_rejects_texts_that_letters_cannot_hold()
    {
        using var dir = new TempDir();
        var tsv = Path.Combine(dir.Root, "m.tsv");

        Assert.Throws<ArgumentException>(() => LabelledManifest.WriteFairseq(tsv, [new LabelledUtterance("/a.wav", "A|B", 5)]));
        Assert.Throws<ArgumentException>(() => LabelledManifest.WriteFairseq(tsv, [new LabelledUtterance("/a.wav", "  ", 5)]));
        Assert.False(File.Exists(tsv));
    }

    [Fact]
    public void Jsonl_is_written_with_relative_paths_and_durations_and_read_back()
    {
        using var dir = new TempDir();
        var a = dir.Wav("data/wavs/a.wav");
        using var other = new TempDir();
        var b = other.Wav("b.wav");
        var path = Path.Combine(dir.Root, "data", "m.jsonl");

        LabelledManifest.WriteJsonl(path, [new LabelledUtterance(a, "CAFÉ \"OK\"", 24000), new LabelledUtterance(b, "B", null)]);

        Assert.Equal(
            "{\"audio_filepath\":\"wavs/a.wav\",\"text\":\"CAFÉ \\\"OK\\\"\",\"duration\":1.5}\n" +
            $"{{\"audio_filepath\":\"{b}\",\"text\":\"B\"}}\n",
            File.ReadAllText(path));
        var read = LabelledManifest.Read(path, new LabelledManifestOptions { Normalizer = null });
        Assert.Equal([new LabelledUtterance(a, "CAFÉ \"OK\"", 24000), new LabelledUtterance(b, "B", null)], read.Utterances);
    }
}
