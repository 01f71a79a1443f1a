using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Text;

public sealed class JsonlManifestTests
{
    [Fact]
    public void Objects_give_paths_relative_to_the_file_texts_and_durations()
    {
        using var dir = new TempDir();
        var a = dir.Wav("wavs/a.wav");
        var b = dir.Wav("elsewhere/b.wav");
        var path = dir.Text("data/train.jsonl",
            "{\"audio_filepath\": \"../wavs/a.wav\", \"text\": \"hello world\", \"duration\": 0.1}\n" +
            $"{{\"audio_filepath\": \"{b}\", \"text\": \"It’s fine.\"}}\n");

        var manifest = LabelledManifest.Read(path);

        Assert.Equal(LabelledManifestFormat.Jsonl, manifest.Format);
        Assert.Equal([new LabelledUtterance(a, "HELLO WORLD", 1600), new LabelledUtterance(b, "IT'S FINE", null)], manifest.Utterances);
    }

    [Fact]
    public void Bad_json_and_missing_fields_are_bad_rows_with_line_numbers()
    {
        using var dir = new TempDir();
        dir.Wav("a.wav");
        var path = dir.Text("m.json",
            "{\"audio_filepath\": \"a.wav\", \"text\": \"one\"}\n" +
            "{\"audio_filepath\": \"a.wav\", \"text\": \n" +
            "\n" +
            "[1, 2]\n" +
            "{\"text\": \"no audio\"}\n" +
            "{\"audio_filepath\": \"a.wav\"}\n" +
            "{\"audio_filepath\": 3, \"text\": \"x\"}\n" +
            "{\"audio_filepath\": \"a.wav\", \"text\": \"x\", \"duration\": \"long\"}\n" +
            "{\"audio_filepath\": \"a.wav\", \"text\": \"x\", \"duration\": -1}\n" +
            "{\"audio_filepath\": \"a.wav\", \"text\": \"  \"}\n" +
            "{\"audio_filepath\": \"gone.wav\", \"text\": \"x\"}\n" +
            "{\"path\": \"a.wav\", \"sentence\": \"two\"}\n");

        var manifest = LabelledManifest.Read(path);

        Assert.Equal(["ONE", "TWO"], manifest.Utterances.Select(u => u.Text));
        Assert.Equal(
        [
            (2, "not valid JSON"),
            (4, "expected a JSON object, found array"),
            (5, "no \"audio_filepath\" field"),
            (6, "no \"text\" field"),
            (7, "\"audio_filepath\" is not a string"),
            (8, "\"duration\" is not a number"),
            (9, "duration -1 s is not a positive length"),
            (10, "empty transcript"),
            (11, "audio file not found: " + Path.Combine(dir.Root, "gone.wav")),
        ], manifest.BadRows.Select(r => (r.Line, r.Problem)));
        Assert.All(manifest.BadRows, r => Assert.Equal(path, r.File));
    }

    [Fact]
    public void Format_is_sniffed_from_content_for_unknown_extensions()
    {
        using var dir = new TempDir();
        dir.Wav("a.wav");
        var path = dir.Text("list.txt", "\n{\"audio_filepath\": \"a.wav\", \"text\": \"a\"}\n");

        Assert.Equal(LabelledManifestFormat.Jsonl, LabelledManifest.DetectFormat(path));
        Assert.Equal("A", Assert.Single(LabelledManifest.Read(path).Utterances).Text);
    }

    [Fact]
    public void Without_a_normalizer_texts_keep_their_case_and_punctuation()
    {
        using var dir = new TempDir();
        dir.Wav("a.wav");
        var path = dir.Text("m.jsonl", "{\"audio_filepath\": \"a.wav\", \"text\": \"  Hello,\\n  world! \"}\n");

        var manifest = LabelledManifest.Read(path, new LabelledManifestOptions { Normalizer = null });

        Assert.Equal("Hello, world!", Assert.Single(manifest.Utterances).Text);
    }
}
