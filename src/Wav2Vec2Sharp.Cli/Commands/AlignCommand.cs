using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Output;
using Wav2Vec2Sharp.Timestamps;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary><c>w2v align --model DIR AUDIO TRANSCRIPT</c>: CTC forced alignment of a known transcript, with word and character times.</summary>
internal static class AlignCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Fine-tuned CTC model directory (config.json, TorchSharp weights or model.onnx, vocab.json)", Required = true };
        var text = new Option<string?>("--text") { Description = "The transcript as a literal string (instead of a TRANSCRIPT file)" };
        var format = new Option<string>("--format") { Description = "Output format: json, tsv (one word per line), srt or vtt", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "tsv", "srt", "vtt");
        var chars = new Option<bool>("--chars") { Description = "tsv: one character per line instead of one word" };
        var outFile = new Option<string?>("--out", "-o") { Description = "Write to this file (atomically) instead of standard output" };
        var threads = new Option<int>("--threads") { Description = ModelEngines.ThreadsDescription, DefaultValueFactory = _ => 0 };
        var engine = ModelEngines.CreateOption();
        var chunking = new ChunkArguments();
        var audio = new Argument<string>("audio") { Description = "The audio file" };
        var transcript = new Argument<string?>("transcript") { Description = "Text file holding the transcript", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("align", "Align a known transcript to audio (CTC forced alignment): word and character times.")
        {
            model, engine, text, format, chars, outFile, threads, audio, transcript,
        };
        chunking.AddTo(command);
        command.SetAction(parse => CliApp.Guard(error, () => Run(parse.GetValue(model)!.FullName, parse.GetValue(audio)!, parse.GetValue(transcript),
            parse.GetValue(text), parse.GetValue(format)!, parse.GetValue(chars), parse.GetValue(outFile), parse.GetValue(engine)!, parse.GetValue(threads), chunking.Read(parse), output, error)));
        return command;
    }

    private static int Run(string modelDirectory, string audio, string? transcriptFile, string? literal, string format, bool chars, string? outFile,
        string engine, int threads, ChunkingOptions chunking, TextWriter output, TextWriter error)
    {
        if ((transcriptFile is null) == (literal is null))
        {
            error.WriteLine("error: give the transcript either as a TRANSCRIPT file or with --text, not both or neither.");
            return CliApp.Failure;
        }
        string source = transcriptFile ?? "--text";
        string transcript;
        try
        {
            transcript = literal ?? File.ReadAllText(transcriptFile!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {transcriptFile}: cannot read the transcript ({e.Message.TrimEnd('.')}).");
            return CliApp.Failure;
        }

        using var transcriber = ModelEngines.Load(modelDirectory, engine, threads);
        transcriber.Chunking = chunking;
        IReadOnlyList<int> tokens;
        try
        {
            tokens = CtcForcedAligner.Tokenize(transcript, transcriber.Vocabulary);
        }
        catch (AlignmentException e)
        {
            error.WriteLine($"error: {source}: {e.Message.TrimEnd('.')}.");
            return CliApp.Failure;
        }
        TimedTranscript timed;
        try
        {
            var result = transcriber.Transcribe(AudioFile.Load(audio, transcriber.FeatureExtractor.SamplingRate));
            var path = CtcForcedAligner.AlignPath(result.Logits, result.Frames, tokens, transcriber.Vocabulary);
            timed = TimestampBuilder.Build(path, transcriber.Vocabulary, result.Logits, result.Frames, result.SecondsPerFrame) with { Duration = result.AudioSeconds };
        }
        catch (Exception e) when (e is AlignmentException or ArgumentException)
        {
            error.WriteLine($"error: {audio}: {e.Message.TrimEnd('.')}.");
            return CliApp.Failure;
        }

        var document = format switch
        {
            "tsv" => Tsv(timed, chars),
            "srt" => SubtitleWriter.ToSrt(SubtitleBuilder.Build(timed.Words)),
            "vtt" => SubtitleWriter.ToVtt(SubtitleBuilder.Build(timed.Words)),
            _ => TranscriptJson.Write(timed, includeCharacters: true, new JsonObject { ["audio"] = audio, ["duration"] = Math.Round(timed.Duration, 3) })
                .ToJsonString(CliJson.Indented) + "\n",
        };
        if (outFile is null)
            output.Write(document);
        else
            AtomicFile.WriteAllText(outFile, document);
        return CliApp.Success;
    }

    /// <summary><c>start end text confidence</c> per word (or character), tab-separated, with a header line.</summary>
    private static string Tsv(TimedTranscript timed, bool chars)
    {
        var text = new StringBuilder("start\tend\t").Append(chars ? "char" : "word").Append("\tconfidence\n");
        var rows = chars ? timed.Characters.Select(c => (c.Start, c.End, c.Text, c.Confidence)) : timed.Words.Select(w => (w.Start, w.End, w.Text, w.Confidence));
        foreach (var (start, end, item, confidence) in rows)
            text.Append(CultureInfo.InvariantCulture, $"{start:0.000}\t{end:0.000}\t{item}\t{confidence:0.0000}\n");
        return text.ToString();
    }
}
