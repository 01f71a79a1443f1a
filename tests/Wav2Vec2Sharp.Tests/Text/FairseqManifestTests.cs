using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Text;

using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Tests.Text;

public sealed class FairseqManifestTests
{
    [Fact]
    public void Tsv_with_parallel_ltr_gives_words_and_sample_counts()
    {
        using var dir = new TempDir();
        var a = dir.Wav("audio/a.wav");
        var b = dir.Wav("audio/sub/b.wav");
        var tsv = dir.Text("train.tsv", "audio\na.wav\t1600\nsub/b.wav\t3200\n");
        dir.Text("train.ltr", "H E L L O | W O R L D |\nI T ' S | F I N E |\n");

        var manifest = LabelledManifest.Read(tsv);

        Assert.Equal(LabelledManifestFormat.Fairseq, manifest.Format);
        Assert.Equal([new LabelledUtterance(a, "HELLO WORLD", 1600), new LabelledUtterance(b, "IT'S FINE", 3200)], manifest.Utterances);
        Assert.Empty(manifest.BadRows);
    }

    [Fact]
    public void Wrd_labels_are_used_when_there_is_no_ltr_and_are_normalised()
    {
        using var dir = new TempDir();
        var a = dir.Wav("a.wav");
        var tsv = dir.Text("dev.tsv", dir.Root + "\na.wav\t1600\n");
        dir.Text("dev.wrd", "Hello, world!\n");

        var manifest = LabelledManifest.Read(tsv);

        Assert.Equal([new LabelledUtterance(a, "HELLO WORLD", 1600)], manifest.Utterances);
    }

    [Fact]
    public void The_label_file_path_can_be_given_instead_of_the_tsv()
    {
        using var dir = new TempDir();
        dir.Wav("a.wav");
        dir.Text("dev.tsv", ".\na.wav\t1600\n");
        var ltr = dir.Text("dev.ltr", "A |\n");

        var manifest = LabelledManifest.Read(ltr);

        Assert.Equal("A", Assert.Single(manifest.Utterances).Text);
        Assert.EndsWith("dev.tsv", manifest.FilePath);
    }

    [Fact]
    public void Bad_rows_are_reported_with_file_and_line_and_good_rows_kept()
    {
        using var dir = new TempDir();
        dir.Wav("a.wav");
        dir.Wav("c.wav");
        dir.Wav("e.wav");
        var tsv = dir.Text("train.tsv", ".\na.wav\t1600\nmissing.wav\t1600\nc.wav\t1600\nd.wav\n\ne.wav\tlots\nc.wav\t1600\n");
        var ltr = dir.Text("train.ltr", "A |\nB |\n. , |\nD |\nE |\nF |\nG |\n");

        var manifest = LabelledManifest.Read(tsv);

        Assert.Equal(["A", "G"], manifest.Utterances.Select(u => u.Text));
        Assert.Equal(
        [
            new BadRow(tsv, 3, "audio file not found: " + Path.Combine(dir.Root, "missing.wav")),
            new BadRow(ltr, 3, "transcript \".,\" is empty after normalisation"),
            new BadRow(tsv, 5, "expected 'path<TAB>num_samples', found 1 tab-separated field"),
            new BadRow(tsv, 6, "blank line where an entry should be"),
            new BadRow(tsv, 7, "num_samples 'lots' is not a positive integer"),
        ], manifest.BadRows);
    }

    [Fact]
    public void Line_count_mismatch_is_an_error_naming_both_files()
    {
        using var dir = new TempDir();
        dir.Wav("a.wav");
        var tsv = dir.Text("train.tsv", ".\na.wav\t1600\na.wav\t1600\n");
        dir.Text("train.ltr", "A |\n\n\n");

        var error = Assert.Throws<ManifestException>(() => LabelledManifest.Read(tsv));

        Assert.EndsWith("train.ltr: has 1 lines but train.tsv has 2 entries; the files must be parallel", error.Message);
    }

    [Fact]
    public void Missing_labels_and_unusable_manifests_are_errors()
    {
        using var dir = new TempDir();
        var tsv = dir.Text("train.tsv", ".\na.wav\t1600\n");

        var noLabels = Assert.Throws<ManifestException>(() => LabelledManifest.Read(tsv));
        Assert.Contains("no label file beside it (expected train.ltr or train.wrd)", noLabels.Message);

        dir.Text("train.ltr", "A |\n");
        var nothingUsable = Assert.Throws<ManifestException>(() => LabelledManifest.Read(tsv));
        Assert.Equal($"{tsv}: no usable rows: all 1 rows are bad (first: {tsv}:2: audio file not found: {Path.Combine(dir.Root, "a.wav")})", nothingUsable.Message);
        Assert.IsAssignableFrom<Wav2Vec2SharpException>(nothingUsable);

        var missing = Assert.Throws<ManifestException>(() => LabelledManifest.Read(Path.Combine(dir.Root, "nope.tsv")));
        Assert.Null(missing.Line);
    }

    [Fact]
    public void Audio_existence_check_can_be_turned_off()
    {
        using var dir = new TempDir();
        var tsv = dir.Text("train.tsv", ".\na.wav\t1600\n");
        dir.Text("train.ltr", "A |\n");

        var manifest = LabelledManifest.Read(tsv, new LabelledManifestOptions { CheckAudioExists = false });

        Assert.Equal(Path.Combine(dir.Root, "a.wav"), Assert.Single(manifest.Utterances).AudioPath);
    }
}
