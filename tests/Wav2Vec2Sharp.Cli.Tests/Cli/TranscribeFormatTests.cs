using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

/// <summary><c>w2v transcribe</c> output formats, folder inputs, per-file outputs, chunking options and throughput.</summary>
public sealed class TranscribeFormatTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Srt_for_one_file_goes_to_stdout_with_cues_spelling_the_transcript()
    {
        var wav = _fixture.Wav("clip.wav");

        var (code, output, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--format", "srt", wav);

        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.StartsWith("1\n00:00:", output);
        var textLines = output.Split('\n').Where(l => l.Length > 0 && !l.Contains("-->") && !int.TryParse(l, out _));
        Assert.Equal(Words(_fixture.ExpectedText()), textLines.SelectMany(Words));
    }

    [Fact]
    public void Several_files_as_vtt_are_written_next_to_each_input()
    {
        var a = _fixture.Wav("a.wav");
        var b = _fixture.Wav("b.wav");

        var (code, output, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--format", "vtt", a, b);

        Assert.Equal((0, "", ""), (code, output, error));
        foreach (var path in new[] { "a.vtt", "b.vtt" })
            Assert.StartsWith("WEBVTT\n\n00:00:", File.ReadAllText(Path.Combine(_fixture.Temp.Root, path)));
    }

    [Fact]
    public void Folders_are_walked_recursively_and_outputs_mirror_them_under_out()
    {
        var folder = Path.Combine(_fixture.Temp.Root, "in");
        _fixture.Wav("in/sub/x.wav");
        _fixture.Wav("in/y.WAV");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not audio");
        var outDir = Path.Combine(_fixture.Temp.Root, "out");

        var (code, output, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--format", "json", "--chars", "--out", outDir, folder);

        Assert.Equal((0, "", ""), (code, output, error));
        Assert.True(File.Exists(Path.Combine(outDir, "y.json")));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "sub", "x.json")))!;
        Assert.Equal(_fixture.ExpectedText(), json["text"]!.GetValue<string>());
        var words = json["words"]!.AsArray();
        Assert.Equal(Words(_fixture.ExpectedText()), words.Select(w => w!["word"]!.GetValue<string>()));
        foreach (var word in words)
        {
            Assert.InRange(word!["start"]!.GetValue<double>(), 0, word["end"]!.GetValue<double>());
            Assert.InRange(word["end"]!.GetValue<double>(), 0, 0.98);
            Assert.InRange(word["confidence"]!.GetValue<double>(), 0, 1);
        }
        Assert.NotEmpty(json["chars"]!.AsArray());
    }

    [Fact]
    public void A_folder_without_audio_is_an_error_line()
    {
        var empty = Path.Combine(_fixture.Temp.Root, "empty");
        Directory.CreateDirectory(empty);

        var (code, _, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, empty);

        Assert.Equal(1, code);
        Assert.Equal($"error: {empty}: no .wav/.flac/.mp3/.ogg/.opus/.webm files in this folder.{Environment.NewLine}", error);
    }

    [Fact]
    public void Chunked_transcription_keeps_the_frame_count_and_reports_throughput()
    {
        var wav = _fixture.Wav("long.wav", [.. _fixture.Samples, .. _fixture.Samples, .. _fixture.Samples]);

        var (code, output, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--format", "json", "--chunk-seconds", "1",
            "--stride-seconds", "0.2", "--progress", wav);

        Assert.Equal(0, code);
        Assert.Equal(149, JsonNode.Parse(output)!["files"]![0]!["frames"]!.GetValue<int>());
        Assert.Contains("transcribed 1 of 1 files: 3.0 s of audio in ", error);
        Assert.Contains("audio-s/s)", error);
    }
}
