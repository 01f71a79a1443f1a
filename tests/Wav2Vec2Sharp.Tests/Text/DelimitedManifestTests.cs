using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Text;

using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Tests.Text;

public sealed class DelimitedManifestTests
{
    [Fact]
    public void Common_voice_tsv_finds_clips_in_the_sibling_folder_and_keeps_quotes_literal()
    {
        using var dir = new TempDir();
        var a = dir.Wav("clips/common_voice_en_1.mp3");
        var b = dir.Wav("clips/common_voice_en_2.mp3");
        var tsv = dir.Text("validated.tsv",
            "client_id\tpath\tsentence_id\tsentence\tsentence_domain\tup_votes\tdown_votes\n" +
            "c1\tcommon_voice_en_1.mp3\ts1\tHe said \"yes\", didn't he?\t\t2\t0\n" +
            "c2\tcommon_voice_en_2.mp3\ts2\tThe \"end\t\t2\t0\n" +
            "c3\tcommon_voice_en_3.mp3\ts3\tMissing clip.\t\t2\t0\n" +
            "c4\tcommon_voice_en_1.mp3\ttoo few fields\n");

        var manifest = LabelledManifest.Read(tsv);

        Assert.Equal(LabelledManifestFormat.Tsv, manifest.Format);
        Assert.Equal([new LabelledUtterance(a, "HE SAID YES DIDN'T HE", null), new LabelledUtterance(b, "THE END", null)], manifest.Utterances);
        Assert.Equal(
        [
            new BadRow(tsv, 4, "audio file not found: " + Path.Combine(dir.Root, "clips", "common_voice_en_3.mp3")),
            new BadRow(tsv, 5, "expected 7 fields as in the header, found 3"),
        ], manifest.BadRows);
    }

    [Fact]
    public void Csv_reads_quoted_fields_with_commas_quotes_and_line_breaks()
    {
        using var dir = new TempDir();
        var a = dir.Wav("a.wav", 3200);
        var b = dir.Wav("b.wav");
        var csv = dir.Text("set.csv",
            "File,Transcript,Duration\r\n" +
            "a.wav,\"Well, \"\"hello\"\" there\",0.2\r\n" +
            "\"b.wav\",\"two\r\nlines\",\r\n" +
            "a.wav,\"bad\"quote,1\r\n" +
            "a.wav,fine,soon\r\n" +
            "b.wav,\"never closed,1\r\n" +
            "a.wav,lost,1\r\n");

        var manifest = LabelledManifest.Read(csv);

        Assert.Equal(LabelledManifestFormat.Csv, manifest.Format);
        Assert.Equal([new LabelledUtterance(a, "WELL HELLO THERE", 3200), new LabelledUtterance(b, "TWO LINES", null)], manifest.Utterances);
        Assert.Equal(
        [
            new BadRow(csv, 5, "unexpected text after a closing quote"),
            new BadRow(csv, 6, "duration 'soon' is not a number"),
            new BadRow(csv, 7, "unterminated quoted field"),
        ], manifest.BadRows);
    }

    [Fact]
    public void A_header_without_the_needed_columns_is_an_error_naming_line_one()
    {
        using var dir = new TempDir();
        var csv = dir.Text("set.csv", "name,words\na.wav,hello\n");

        var error = Assert.Throws<ManifestException>(() => LabelledManifest.Read(csv));

        Assert.Equal(1, error.Line);
        Assert.Contains("no audio path column", error.Message);
        Assert.Contains("found name, words", error.Message);
    }

    [Theory]
    [InlineData("path\tsentence\n", LabelledManifestFormat.Tsv)]
    [InlineData("/data\na.wav\t16000\n", LabelledManifestFormat.Fairseq)]
    public void Tsv_files_are_told_apart_by_their_first_line(string content, LabelledManifestFormat expected)
    {
        using var dir = new TempDir();
        var path = dir.Text("x.tsv", content);

        Assert.Equal(expected, LabelledManifest.DetectFormat(path));
    }

    [Fact]
    public void Large_csv_files_are_read_to_the_end_with_exact_line_numbers()
    {
        using var dir = new TempDir();
        var rows = Enumerable.Range(0, 3000).Select(i => $"clip{i}.wav,\"word {i},\r\nmore\"\r\n");
        var csv = dir.Text("big.csv", "path,text\r\n" + string.Concat(rows) + "bad,\"x\"y\r\n");

        var manifest = LabelledManifest.Read(csv, new LabelledManifestOptions { CheckAudioExists = false });

        Assert.Equal(3000, manifest.Utterances.Count);
        Assert.Equal("WORD 2999 MORE", manifest.Utterances[^1].Text);
        Assert.Equal(new BadRow(csv, 2 + 2 * 3000, "unexpected text after a closing quote"), Assert.Single(manifest.BadRows));
    }

    [Fact]
    public void Csv_records_track_the_line_each_starts_on()
    {
        var records = DelimitedRecords.ReadCsv(new StringReader("a,b\n\"x\ny\",z\r\n\r\nlast,\"\"\"q\"\"\"")).ToList();

        Assert.Equal([1, 2, 4, 5], records.Select(r => r.Line));
        Assert.Equal(["x\ny", "z"], records[1].Fields);
        Assert.True(records[2].IsBlank);
        Assert.Equal(["last", "\"q\""], records[3].Fields);
    }
}
