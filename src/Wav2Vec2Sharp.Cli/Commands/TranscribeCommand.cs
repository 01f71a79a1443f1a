using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Inference;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary><c>w2v transcribe --model DIR FILE...</c>: greedy CTC transcripts, one per file.</summary>
internal static class TranscribeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Fine-tuned CTC model directory (config.json, weights, vocab.json)", Required = true };
        var format = new Option<string>("--format") { Description = "Output format: text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var logitsOut = new Option<string?>("--logits-out")
        {
            Description = "Write frame logits as .npy (float32, [frames, vocab]): a file path ending in .npy for one input, otherwise a folder receiving <name>.npy per input",
        };
        var threads = new Option<int>("--threads") { Description = "CPU threads for the model (0 = libtorch default)", DefaultValueFactory = _ => 0 };
        var files = new Argument<string[]>("files") { Description = "Audio files (WAV, FLAC, MP3, Ogg Vorbis; any rate, any channels)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("transcribe", "Transcribe audio files with a CTC model (greedy decoding).") { model, format, logitsOut, threads, files };
        command.SetAction(parse => CliApp.Guard(error, () => Run(parse.GetValue(model)!.FullName, parse.GetValue(files)!,
            parse.GetValue(format)!, parse.GetValue(logitsOut), parse.GetValue(threads), output, error)));
        return command;
    }

    private static int Run(string modelDirectory, string[] files, string format, string? logitsOut, int threads, TextWriter output, TextWriter error)
    {
        TorchRuntime.SetThreads(threads);
        using var transcriber = Transcriber.Load(modelDirectory);
        bool json = format == "json";
        int failures = 0;
        var results = new List<object>();
        foreach (var file in files)
        {
            try
            {
                var clock = Stopwatch.StartNew();
                var samples = AudioFile.Load(file, transcriber.FeatureExtractor.SamplingRate);
                var decodeSeconds = clock.Elapsed.TotalSeconds;
                var result = transcriber.Transcribe(samples);
                var totalSeconds = clock.Elapsed.TotalSeconds;
                if (logitsOut is not null)
                    NpyWriter.WriteFloat32(LogitsPath(logitsOut, file, files.Length), result.Logits, result.Frames, result.VocabSize);
                if (json)
                    results.Add(new
                    {
                        file, text = result.Text, audio_seconds = Math.Round(result.AudioSeconds, 3), frames = result.Frames,
                        read_seconds = Math.Round(decodeSeconds, 4), total_seconds = Math.Round(totalSeconds, 4),
                        real_time_factor = Math.Round(result.AudioSeconds / totalSeconds, 2),
                    });
                else
                    output.WriteLine(files.Length == 1 ? result.Text : $"{file}\t{result.Text}");
            }
            catch (Exception e) when (e is AudioDecodeException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                failures++;
                var message = e is AudioDecodeException ? e.Message : $"{file}: {e.Message}";
                error.WriteLine($"error: {message.TrimEnd('.')}.");
                if (json)
                    results.Add(new { file, error = message });
            }
        }
        if (json)
            output.WriteLine(JsonSerializer.Serialize(new { model = modelDirectory, files = results }, new JsonSerializerOptions { WriteIndented = true }));
        return failures == 0 ? CliApp.Success : CliApp.Failure;
    }

    private static string LogitsPath(string logitsOut, string file, int fileCount)
    {
        if (fileCount == 1 && logitsOut.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            return logitsOut;
        Directory.CreateDirectory(logitsOut);
        return Path.Combine(logitsOut, Path.GetFileNameWithoutExtension(file) + ".npy");
    }
}
