using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Output;
using Wav2Vec2Sharp.Timestamps;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// <c>w2v transcribe --model DIR FILE|FOLDER...</c>: transcripts as text, JSON with word times, SRT or WebVTT. Under
/// <c>mpirun</c> rank r transcribes inputs r, r + N, …; per-input files are written by the rank that made them, and rank 0
/// prints what goes to standard output and the errors, in input order.
/// </summary>
internal static class TranscribeCommand
{
    /// <summary>Builds the verb.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="decoders">Hook for other decoders: given the parsed command line, returns the decoder factory
    /// (<c>null</c> for greedy decoding). Options it reads must be added to the returned command by the caller.</param>
    /// <param name="world">The job this process is part of (one process outside mpirun).</param>
    public static Command Create(TextWriter output, TextWriter error, Func<ParseResult, Func<Vocabulary, ICtcDecoder>?>? decoders = null,
        Distributed.ICommunicator? world = null)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Fine-tuned CTC model directory (config.json, TorchSharp weights or model.onnx, vocab.json)", Required = true };
        var format = new Option<string>("--format") { Description = "Output format: text, json (word times), srt or vtt (subtitles)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "srt", "vtt");
        var outDir = new Option<string?>("--out", "-o") { Description = "Folder for one output file per input, or for one input a file ending in the format's extension (default for json/srt/vtt with several inputs: next to each input)" };
        var logitsOut = new Option<string?>("--logits-out")
        {
            Description = "Write frame logits as .npy (float32, [frames, vocab]): a file path ending in .npy for one input, otherwise a folder receiving <name>.npy per input (an input folder's subfolders mirrored)",
        };
        var threads = new Option<int>("--threads") { Description = ModelEngines.ThreadsDescription, DefaultValueFactory = _ => 0 };
        var engine = ModelEngines.CreateOption();
        var chars = new Option<bool>("--chars") { Description = "JSON: also list character times" };
        var progress = new Option<bool?>("--progress") { Description = "Progress bar and throughput on stderr (default: when stderr is a terminal)" };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Transcribe this many clips together (length-sorted, padded Transformer batches; each transcript equals the clip's own)",
            DefaultValueFactory = _ => 1,
        };
        var lineLength = new Option<int>("--max-line-chars") { Description = "Subtitles: longest line", DefaultValueFactory = _ => 42 };
        var cueSeconds = new Option<double>("--max-cue-seconds") { Description = "Subtitles: longest cue", DefaultValueFactory = _ => 7 };
        var pause = new Option<double>("--pause-seconds") { Description = "Subtitles: a longer silence between words starts a new cue", DefaultValueFactory = _ => 0.8 };
        var nbest = new Option<int>("--nbest")
        {
            Description = "JSON: also list the N best hypotheses of beam search with their scores (nbest, best first)",
            DefaultValueFactory = _ => 1,
        };
        var chunking = new ChunkArguments();
        var files = new Argument<string[]>("files") { Description = "Audio files or folders (WAV, FLAC, MP3, Ogg Vorbis, Opus, WebM; any rate, any channels)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("transcribe", "Transcribe audio files with a CTC model (greedy, or beam search with --lm).") { model, engine, format, outDir, logitsOut, threads, chars, progress, batchSize, nbest, lineLength, cueSeconds, pause, files };
        chunking.AddTo(command);
        if (decoders is null)
        {
            var decoding = new DecoderOptions();
            decoding.AddTo(command);
            decoders = parse => decoding.WantsBeamSearch(parse) ? vocabulary => decoding.Create(parse, vocabulary) : null;
        }
        command.SetAction(parse => CliApp.Guard(error, () => Run(new TranscribeSettings(parse.GetValue(model)!.FullName, parse.GetValue(files)!, parse.GetValue(format)!)
        {
            OutputDirectory = parse.GetValue(outDir), LogitsOut = parse.GetValue(logitsOut), Threads = parse.GetValue(threads), Engine = parse.GetValue(engine)!,
            IncludeCharacters = parse.GetValue(chars), Progress = parse.GetValue(progress), Chunking = chunking.Read(parse),
            Subtitles = new SubtitleOptions { MaxLineLength = parse.GetValue(lineLength), MaxCueSeconds = parse.GetValue(cueSeconds), PauseSeconds = parse.GetValue(pause) }.Validate(),
            DecoderFactory = decoders(parse),
            BatchSize = parse.GetValue(batchSize) is var size and >= 1 ? size : throw new ArgumentException($"--batch-size must be at least 1, not {parse.GetValue(batchSize)}."),
            NBest = parse.GetValue(nbest),
        }, output, error, world)));
        return command;
    }

    private static void CheckNBest(TranscribeSettings settings)
    {
        if (settings.NBest < 1)
            throw new ArgumentException($"--nbest must be at least 1, not {settings.NBest}.");
        if (settings.NBest > 1 && settings.Format != "json")
            throw new ArgumentException("--nbest lists hypotheses in JSON output: add --format json.");
        if (settings.NBest > 1 && settings.DecoderFactory is null)
            throw new ArgumentException("--nbest needs beam search: add --lm (or --beam-width, --lexicon, --hotwords).");
    }

    // What one input produced: text for standard output, its JSON entry when the JSON goes to standard output, or its error.
    private sealed record FileOutcome(int Index, string? Output, string? Json, string? Error, double AudioSeconds);

    /// <summary>Transcribes every input; per-file failures are reported on <paramref name="error"/> and the rest still run.</summary>
    /// <returns><see cref="CliApp.Success"/> when every input succeeded.</returns>
    public static int Run(TranscribeSettings settings, TextWriter output, TextWriter error, Distributed.ICommunicator? world = null)
    {
        world ??= Distributed.LocalCommunicator.Instance;
        CheckNBest(settings);
        using var transcriber = ModelEngines.Load(settings.ModelDirectory, settings.Engine, settings.Threads, settings.DecoderFactory);
        transcriber.Chunking = settings.Chunking;
        var emptyFolders = new List<string>();
        var inputs = InputFiles.Expand(settings.Inputs, emptyFolders);
        int failures = emptyFolders.Count;
        foreach (var folder in world.Rank == 0 ? emptyFolders : [])
            error.WriteLine($"error: {folder}: no {string.Join("/", InputFiles.AudioExtensions)} files in this folder.");

        string format = settings.Format;
        bool perFile = settings.OutputDirectory is not null || (format != "text" && inputs.Count > 1);
        CheckOutputs(settings, inputs, perFile);
        bool json = format == "json";
        var results = new JsonArray();
        bool showProgress = world.Rank == 0 && (settings.Progress ?? (ReferenceEquals(error, System.Console.Error) && !System.Console.IsErrorRedirected));
        var bar = showProgress ? new ProgressBar(error, "transcribe", ReferenceEquals(error, System.Console.Error) && !System.Console.IsErrorRedirected) : null;
        var clock = Stopwatch.StartNew();
        double audioSeconds = 0;
        void Emit(FileOutcome outcome)
        {
            audioSeconds += outcome.AudioSeconds;
            if (outcome.Output is not null)
                output.Write(outcome.Output);
            if (outcome.Json is not null)
                results.Add(JsonNode.Parse(outcome.Json));
            if (outcome.Error is not null)
            {
                failures++;
                bar?.Finish();
                error.WriteLine(outcome.Error);
            }
            bar?.Report(outcome.Index + 1, inputs.Count, clock.Elapsed, null, Path.GetFileName(inputs[outcome.Index].Path));
        }

        var mineIndices = Enumerable.Range(0, inputs.Count).Where(i => i % world.Size == world.Rank).ToList();
        if (world.Size == 1)
        {
            foreach (var outcome in Outcomes(transcriber, settings, inputs, mineIndices, perFile))
                Emit(outcome);
        }
        else
        {
            var mine = Outcomes(transcriber, settings, inputs, mineIndices, perFile).ToList();
            var gathered = world.GatherToRoot(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(mine));
            foreach (var outcome in gathered.SelectMany(b => System.Text.Json.JsonSerializer.Deserialize<List<FileOutcome>>(b)!).OrderBy(o => o.Index))
                Emit(outcome);
            if (world.Rank != 0)
                return CliApp.Success; // rank 0 reports for the whole job
        }
        if (json && !perFile)
            output.WriteLine(new JsonObject { ["model"] = settings.ModelDirectory, ["files"] = results }.ToJsonString(CliJson.Indented));
        if (showProgress)
        {
            bar?.Finish();
            double seconds = clock.Elapsed.TotalSeconds;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"transcribed {inputs.Count - (failures - emptyFolders.Count)} of {inputs.Count} files: {audioSeconds:0.0} s of audio in {seconds:0.0} s ({audioSeconds / Math.Max(seconds, 1e-9):0.0} audio-s/s)"));
        }
        return failures == 0 ? CliApp.Success : CliApp.Failure;
    }

    // The outcomes of the inputs at `indices`, in order, one at a time or (with --batch-size) in groups transcribed together.
    private static IEnumerable<FileOutcome> Outcomes(Transcriber transcriber, TranscribeSettings settings, IReadOnlyList<InputFile> inputs,
        IReadOnlyList<int> indices, bool perFile)
    {
        var paths = indices.Select(i => inputs[i].Path).ToList();
        foreach (var file in transcriber.TranscribeFiles(paths, settings.BatchSize,
                     e => e is AudioDecodeException or UntranscribableAudioException or IOException or UnauthorizedAccessException))
        {
            int i = indices[file.Index];
            yield return file.Result is { } result
                ? Render(transcriber, settings, inputs, i, perFile, result, file.ReadSeconds, file.Seconds)
                : Failure(inputs[i].Path, settings.Format, perFile, file.Error!) with { Index = i };
        }
    }

    private static FileOutcome Failure(string file, string format, bool perFile, Exception e)
    {
        var message = e is AudioDecodeException ? e.Message : $"{file}: {e.Message}";
        var entry = format == "json" && !perFile ? new JsonObject { ["file"] = file, ["error"] = message }.ToJsonString() : null;
        return new FileOutcome(-1, null, entry, $"error: {message.TrimEnd('.')}.", 0);
    }

    // What one transcribed input produces: its own files, and what goes to stdout.
    private static FileOutcome Render(Transcriber transcriber, TranscribeSettings settings, IReadOnlyList<InputFile> inputs, int i, bool perFile,
        Transcription result, double readSeconds, double totalSeconds)
    {
        var input = inputs[i];
        var file = input.Path;
        string format = settings.Format;
        try
        {
            var timed = TimestampBuilder.Build(result.Hypothesis, transcriber.Vocabulary, result.Logits, result.Frames, result.SecondsPerFrame);
            var fileJson = TranscriptRenderer.Json(file, result, timed, readSeconds, totalSeconds, settings.IncludeCharacters);
            if (settings.NBest > 1)
                fileJson["nbest"] = TranscriptRenderer.Hypotheses(transcriber.Decoder.Decode(result.Logits, result.Frames, settings.NBest));
            if (settings.LogitsOut is not null)
                NpyWriter.WriteFloat32(LogitsPath(settings.LogitsOut, input, inputs.Count), result.Logits, result.Frames, result.VocabSize);
            if (perFile)
            {
                AtomicFile.WriteAllText(TranscriptRenderer.OutputPath(input, settings.OutputDirectory, format, OneFileGiven(settings)), TranscriptRenderer.Document(format, fileJson, timed, settings.Subtitles));
                return new FileOutcome(i, null, null, null, result.AudioSeconds);
            }
            return format switch
            {
                "json" => new FileOutcome(i, null, fileJson.ToJsonString(), null, result.AudioSeconds),
                "text" => new FileOutcome(i, (inputs.Count == 1 ? result.Text : $"{file}\t{result.Text}") + Environment.NewLine, null, null, result.AudioSeconds),
                _ => new FileOutcome(i, TranscriptRenderer.Document(format, fileJson, timed, settings.Subtitles), null, null, result.AudioSeconds),
            };
        }
        catch (Exception e) when (e is Wav2Vec2SharpException or IOException or UnauthorizedAccessException)
        {
            return Failure(file, format, perFile, e) with { Index = i };
        }
    }

    // One audio file named on the command line (not a folder that holds one): only then may --out name the output file.
    private static bool OneFileGiven(TranscribeSettings settings) => settings.Inputs.Count == 1 && !Directory.Exists(settings.Inputs[0]);

    // Refuses, before anything is transcribed, outputs that would overwrite each other, a folder that is a file, and an
    // --out that looks like a file of another format.
    private static void CheckOutputs(TranscribeSettings settings, IReadOnlyList<InputFile> inputs, bool perFile)
    {
        if (perFile && settings.OutputDirectory is { } folder)
        {
            string extension = TranscriptRenderer.Extension(settings.Format);
            bool oneFile = OneFileGiven(settings);
            bool namesFile = TranscriptRenderer.NamesOutputFile(folder, settings.Format, oneFile);
            string given = Path.GetExtension(Path.TrimEndingDirectorySeparator(folder));
            if (oneFile && File.Exists(folder) && !namesFile)
                throw new ArgumentException($"--out {folder} is a file: give a folder, or a file name ending in {extension}.");
            if (!oneFile && File.Exists(folder))
                throw new ArgumentException($"--out {folder} is a file: with several inputs, or a folder of them, it must be a folder.");
            if (!Directory.Exists(folder) && !given.Equals(extension, StringComparison.OrdinalIgnoreCase) && given.ToLowerInvariant() is ".txt" or ".json" or ".srt" or ".vtt")
                throw new ArgumentException($"--out {folder} ends in {given}, but --format {settings.Format} writes {extension}: give the --format it is meant for, or a folder.");
        }
        if (perFile)
            RefuseCollisions(inputs, input => TranscriptRenderer.OutputPath(input, settings.OutputDirectory, settings.Format, OneFileGiven(settings)), "--out");
        if (settings.LogitsOut is { } logits)
            RefuseCollisions(inputs, input => LogitsPath(logits, input, inputs.Count, create: false), "--logits-out");
    }

    private static void RefuseCollisions(IReadOnlyList<InputFile> inputs, Func<InputFile, string> outputOf, string option)
    {
        // Linux file names differ by case; those of macOS and Windows, by default, do not.
        var writers = new Dictionary<string, string>(OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        foreach (var input in inputs)
        {
            var output = Path.GetFullPath(outputOf(input));
            if (!writers.TryAdd(output, input.Path))
                throw new ArgumentException($"{writers[output]} and {input.Path} would both write {outputOf(input)} ({option}): rename one, or transcribe them separately.");
        }
    }

    // The .npy file of one input: --logits-out itself for a single input named *.npy, else <stem>.npy under the folder,
    // with the input's relative folders mirrored as --out does.
    private static string LogitsPath(string logitsOut, InputFile input, int fileCount, bool create = true)
    {
        if (fileCount == 1 && logitsOut.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            return logitsOut;
        var path = Path.Combine(logitsOut, input.RelativeStem + ".npy");
        if (create)
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
