using System.CommandLine;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Corpus;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary><c>w2v corpus synth --out DIR</c>: a multi-speaker speech corpus from Debian's TTS engines.</summary>
internal static class CorpusCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Corpus folder (reused as a cache by later runs)", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of sentences, speakers and augmentation", DefaultValueFactory = _ => 1 };
        var hours = new Option<double>("--unlabelled-hours") { Description = "Hours of unlabelled audio for pretraining", DefaultValueFactory = _ => 1.0 };
        var labelled = new Option<string>("--labelled-minutes") { Description = "Labelled sets, comma-separated minutes", DefaultValueFactory = _ => "10,60" };
        var dev = new Option<double>("--dev-minutes") { Description = "Dev set minutes", DefaultValueFactory = _ => 5 };
        var test = new Option<double>("--test-minutes") { Description = "Minutes of each test set (seen and unseen speakers)", DefaultValueFactory = _ => 5 };
        var text = new Option<FileInfo?>("--text") { Description = "Sentences from this text file instead of Debian's fortunes and WordNet" };
        var digits = new Option<int?>("--digits") { Description = "Speak N random connected-digit strings (eleven words, TIDIGITS-style) instead of sentences" };
        var engines = new Option<string?>("--engines") { Description = "Comma-separated engines to use: espeak, flite, festival (default: all installed)" };
        var augment = new Option<bool>("--augment") { Description = "Noise, gain and small speed changes on the training splits" };
        var channelTests = new Option<string?>("--channel-tests")
        {
            Description = "Channel-shift test sets made from test_seen, for evaluation only: comma-separated telephone, mp3 (needs lame), reverb, noise10, or all",
        };
        var jobs = new Option<int>("--jobs") { Description = "Parallel synthesis processes", DefaultValueFactory = _ => Environment.ProcessorCount };
        var synth = new Command("synth", "Synthesise an English corpus: unlabelled audio, labelled sets, dev, and tests on seen and unseen speakers.")
        {
            outDir, seed, hours, labelled, dev, test, text, digits, engines, augment, channelTests, jobs,
        };
        synth.SetAction(parse => CliApp.Guard(error, () =>
        {
            var options = new CorpusOptions
            {
                OutputDirectory = parse.GetValue(outDir)!.FullName,
                Seed = parse.GetValue(seed),
                UnlabelledHours = parse.GetValue(hours),
                LabelledSets = ParseLabelled(parse.GetValue(labelled)!),
                DevMinutes = parse.GetValue(dev),
                TestMinutes = parse.GetValue(test),
                Sentences = SelectSentences(parse.GetValue(text), parse.GetValue(digits), parse.GetValue(seed)),
                Engines = parse.GetValue(engines) is { } list ? ParseEngines(list) : null,
                Augmentation = parse.GetValue(augment) ? new AugmentationOptions() : null,
                ChannelTests = ParseChannelTests(parse.GetValue(channelTests)),
                Parallelism = Math.Max(1, parse.GetValue(jobs)),
            };
            var result = Synthesize(options, error);
            var table = new ResultTable(["split", "utterances", "minutes", "speakers", "manifest"], 1, 2, 3);
            foreach (var split in result.Splits)
                table.Add(split.Name, $"{split.Utterances}", $"{split.Duration.TotalMinutes:0.0}", $"{split.SpeakerIds.Count}", split.JsonlPath);
            table.Write(output, ResultTable.IsTerminal(output));
            output.WriteLine($"{result.Duration.TotalHours:0.00} h in {result.Elapsed.TotalSeconds:0} s ({result.SynthesisSpeed:0}× real time for new audio), " +
                             $"{result.Failures.Count} failed sentences; report: {result.ReportPath}");
            return CliApp.Success;
        }));
        return new Command("corpus", "Build speech corpora.") { synth, CorpusAugmentCommand.Create(output, error) };
    }

    /// <summary>Runs the synthesiser with a progress bar per split on stderr.</summary>
    internal static CorpusResult Synthesize(CorpusOptions options, TextWriter error)
    {
        var bars = new Dictionary<string, ProgressBar>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var progress = new SynchronousProgress<CorpusProgress>(p =>
        {
            if (!bars.TryGetValue(p.Split, out var bar))
            {
                foreach (var previous in bars.Values)
                    previous.Finish();
                bars[p.Split] = bar = ProgressBar.ForStandardError($"{p.Split,-12}");
                clock.Restart();
            }
            if (p.Failure is { } failure)
                error.WriteLine($"failed: {failure}");
            double done = Math.Min(p.Seconds, p.TargetSeconds);
            var eta = done > 0 ? TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / done * (p.TargetSeconds - done)) : (TimeSpan?)null;
            bar.Report((long)done, (long)p.TargetSeconds, clock.Elapsed, eta, $"s of audio, {p.Synthesized} new, {p.Reused} cached, {p.Failed} failed");
        });
        var result = CorpusSynthesizer.Synthesize(options, progress);
        foreach (var bar in bars.Values)
            bar.Finish();
        return result;
    }

    private static SentenceSource? SelectSentences(FileInfo? textFile, int? digitStrings, int seed)
    {
        if (textFile is not null && digitStrings is not null)
            throw new Wav2Vec2SharpException("--text and --digits both choose what is spoken; give one of them.");
        if (digitStrings is { } count)
        {
            return count is >= 1 and <= SentenceSource.MaxDigitStrings
                ? SentenceSource.ConnectedDigits(count, seed)
                : throw new Wav2Vec2SharpException($"--digits must be between 1 and {SentenceSource.MaxDigitStrings}, not {count}.");
        }
        return textFile is null ? null : SentenceSource.FromTextFile(textFile.FullName);
    }

    private static List<LabelledSet> ParseLabelled(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(m => double.TryParse(m, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var minutes) && minutes > 0
            ? new LabelledSet(LabelledSetName(minutes), minutes)
            : throw new Wav2Vec2SharpException($"--labelled-minutes: \"{m}\" is not a positive number of minutes."))
        .ToList();

    /// <summary><c>train_1h</c>, <c>train_10min</c>, or whole seconds for a fractional minute count (<c>train_12s</c>).</summary>
    internal static string LabelledSetName(double minutes) => minutes switch
    {
        >= 60 when minutes % 60 == 0 => FormattableString.Invariant($"train_{minutes / 60:0}h"),
        _ when minutes % 1 == 0 => FormattableString.Invariant($"train_{minutes:0}min"),
        _ => FormattableString.Invariant($"train_{Math.Round(minutes * 60):0}s"),
    };

    /// <summary><c>telephone,mp3,reverb,noise10</c> (any of them, in the order given), <c>all</c> (the four), or <c>none</c>.</summary>
    internal static List<ChannelTest> ParseChannelTests(string? text)
    {
        var known = Enum.GetValues<ChannelTest>().ToDictionary(c => c.ToString().ToLowerInvariant());
        var channels = new List<ChannelTest>();
        foreach (var name in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
                channels.AddRange(known.Values);
            else if (known.TryGetValue(name.ToLowerInvariant(), out var channel))
                channels.Add(channel);
            else if (!name.Equals("none", StringComparison.OrdinalIgnoreCase))
                throw new Wav2Vec2SharpException($"--channel-tests: unknown channel \"{name}\" (use telephone, mp3, reverb, noise10, all or none).");
        }
        return channels.Distinct().ToList();
    }

    private static List<TtsEngine> ParseEngines(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(e => e.ToLowerInvariant() switch
        {
            "espeak" or "espeak-ng" => TtsEngine.Espeak,
            "flite" => TtsEngine.Flite,
            "festival" => TtsEngine.Festival,
            _ => throw new Wav2Vec2SharpException($"--engines: unknown engine \"{e}\" (use espeak, flite, festival)."),
        }).ToList();
}
