using System.Diagnostics;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// Makes a multi-speaker English speech corpus with the text-to-speech engines installed on the machine (eSpeak NG,
/// Flite, Festival): 16 kHz mono 16-bit WAV files, fairseq and JSON-lines manifests, and a <c>corpus.json</c>
/// description.
/// </summary>
/// <remarks>
/// <para><b>Layout</b> of <see cref="CorpusOptions.OutputDirectory"/>: a folder per split (<c>unlabelled/</c>,
/// <c>train_10min/</c>, <c>train_1h/</c>, <c>dev/</c>, <c>test_seen/</c>, <c>test_unseen/</c>, and the channel test sets
/// <c>test_seen_telephone/</c>, … asked for by <see cref="CorpusOptions.ChannelTests"/>) of files named
/// <c>NNNNNN-KEY.wav</c>; beside them <c>SPLIT.tsv</c> (fairseq: root folder, then <c>file&lt;TAB&gt;num_samples</c>),
/// for labelled splits <c>SPLIT.ltr</c> and <c>SPLIT.wrd</c>, and <c>SPLIT.jsonl</c> (<c>audio_filepath</c>, <c>text</c>,
/// <c>duration</c>, <c>speaker</c>); and <c>corpus.json</c>.</para>
/// <para><b>Speakers</b> come from a <see cref="SpeakerCatalog"/>: <c>unlabelled</c>, the labelled sets, <c>dev</c> and
/// <c>test_seen</c> are spoken by training speakers, <c>test_unseen</c> by the held-out voices only. Each split rotates
/// through its speakers in a seeded order.</para>
/// <para><b>Sentences</b> (see <see cref="CorpusPlanner"/>): <c>dev</c>, <c>test_seen</c>, <c>test_unseen</c> and the
/// labelled sets have disjoint sentences. The labelled sets are nested (a smaller one is a prefix of a larger one). The
/// unlabelled audio never speaks a dev or test sentence, but may speak training sentences, and repeats sentences (with
/// other speakers) when the text runs out.</para>
/// <para><b>Determinism and caching</b>: the same seed, options, text and engine versions give the same files. Each
/// file's name holds a hash of what decides its audio, and an existing file of that name is reused instead of
/// synthesised; files are written under a temporary name and renamed when complete, so a killed run never leaves a
/// half-written file under a final name, and its temporary files are deleted by the next run. Utterance files of other
/// settings are deleted from the split folders. One run at a time may write a folder (a lock file enforces it).</para>
/// <para><b>Failures</b>: an engine that fails, times out or writes unreadable audio for one sentence is reported through
/// the progress and in <see cref="CorpusResult.Failures"/> and <c>corpus.json</c>, and the sentence is skipped; the run
/// stops only when most utterances of a split fail. A failure changes which utterances a split holds, so a run with a
/// failure (a time-out on a busy machine, say) may differ from one without; the next run retries the failed utterances.</para>
/// </remarks>
public static class CorpusSynthesizer
{
    private const string LockFileName = ".corpus.lock";

    /// <summary>Makes the corpus (see <see cref="SynthesizeAsync"/>), blocking until it is done.</summary>
    /// <param name="options">What to make.</param>
    /// <param name="progress">Told after each batch of utterances and of each failure; may be called from several threads.</param>
    /// <param name="cancellationToken">Stops the run; files already finished are kept and reused by the next run.</param>
    /// <returns>The splits, failures and speakers.</returns>
    /// <exception cref="CorpusException">
    /// The options are invalid; no sentence source or engine is installed; the text is too short; no voice can be held
    /// out for <c>test_unseen</c>; another run holds the folder; most utterances of a split fail; or the mp3 channel
    /// test is asked for without LAME installed, or LAME fails.
    /// </exception>
    public static CorpusResult Synthesize(CorpusOptions options, IProgress<CorpusProgress>? progress = null, CancellationToken cancellationToken = default) =>
        SynthesizeAsync(options, progress, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Makes the corpus: probes the engines, plans the splits, synthesises them and writes the manifests and <c>corpus.json</c>.</summary>
    /// <param name="options">What to make.</param>
    /// <param name="progress">Told after each batch of utterances and of each failure; may be called from several threads.</param>
    /// <param name="cancellationToken">Stops the run; files already finished are kept and reused by the next run.</param>
    /// <returns>The splits, failures and speakers.</returns>
    /// <exception cref="CorpusException">See <see cref="Synthesize"/>.</exception>
    public static async Task<CorpusResult> SynthesizeAsync(CorpusOptions options, IProgress<CorpusProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.ChannelTests.Contains(ChannelTest.Mp3))
            ChannelTestMaker.FindLame(options.LameProgram);   // refuse before probing the engines and reading the text
        var sentences = options.Sentences ?? SentenceSource.FromSystem();
        var catalog = SpeakerCatalog.Probe(options.Seed, options.Speakers, options.Engines);
        var engines = catalog.Engines.ToDictionary(e => e.Engine, e => (ISpeechEngine)new ExternalSpeechEngine(e, options.EngineTimeout));
        return await RunAsync(options, sentences, catalog, engines, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the corpus with the given sentences, speakers and engines (tests pass fake engines here).</summary>
    internal static async Task<CorpusResult> RunAsync(CorpusOptions options, SentenceSource sentences, SpeakerCatalog catalog,
        IReadOnlyDictionary<TtsEngine, ISpeechEngine> engines, IProgress<CorpusProgress>? progress, CancellationToken cancellationToken)
    {
        options.Validate();
        if (sentences.Sentences.Count == 0)
            throw new CorpusException("The sentence source holds no usable sentence.");
        var clock = Stopwatch.StartNew();
        var channels = options.ChannelTests.Distinct().ToArray();
        var lame = channels.Contains(ChannelTest.Mp3) ? ChannelTestMaker.FindLame(options.LameProgram) : null;
        var output = Path.GetFullPath(options.OutputDirectory);
        Directory.CreateDirectory(output);
        using var folderLock = LockFolder(output);

        var source = sentences.Origins.Count == 1 ? sentences.Origins[0] : $"the {sentences.Origins.Count} text sources";
        var plans = CorpusPlanner.Plan(options, catalog, sentences.Shuffled(options.Seed), source);
        var synthesizer = new SplitSynthesizer(engines, options, progress);
        var channelMaker = new ChannelTestMaker(options, lame, progress);
        var summaries = new List<CorpusSplitSummary>();
        var failures = new List<SynthesisFailure>();
        long synthesizedSamples = 0;
        void Summarize(SplitOutcome outcome, string folder)
        {
            var (tsv, jsonl) = CorpusManifests.Write(outcome, output, folder);
            summaries.Add(new CorpusSplitSummary(outcome.Plan.Name, outcome.Plan.Kind, folder, tsv, jsonl, outcome.Accepted.Count,
                outcome.Accepted.Sum(u => (long)u.Samples), outcome.Accepted.Select(u => u.Utterance.Speaker.Id).Distinct().ToArray(),
                outcome.Synthesized, outcome.Reused, outcome.Failures.Count, outcome.Complete));
        }
        foreach (var plan in plans)
        {
            var folder = Path.Combine(output, plan.Name);
            var copyFolder = plan.CopyFrom is null ? null : Path.Combine(output, plan.CopyFrom);
            var outcome = await synthesizer.RunAsync(plan, folder, copyFolder, cancellationToken).ConfigureAwait(false);
            Summarize(outcome, folder);
            failures.AddRange(outcome.Failures);
            synthesizedSamples += outcome.SynthesizedSamples;
            if (plan.Name != CorpusOptions.TestSeenName)
                continue;
            // The channel-shift test sets: test_seen through each channel, made as soon as test_seen is done.
            foreach (var channel in channels)
            {
                var channelFolder = Path.Combine(output, ChannelTestMaker.SplitName(channel));
                Summarize(await channelMaker.RunAsync(channel, outcome, channelFolder, cancellationToken).ConfigureAwait(false), channelFolder);
            }
        }

        var ordered = summaries.OrderBy(s => OutputOrder(s.Name, options)).ToArray();
        var orderedFailures = failures.OrderBy(f => OutputOrder(f.Split, options)).ThenBy(f => f.Index).ToArray();
        var report = CorpusReport.Write(output, options, sentences, catalog, ordered, orderedFailures, lame);
        return new CorpusResult(output, report, ordered, orderedFailures, catalog, clock.Elapsed,
            synthesizedSamples / (double)Audio.AudioFile.DefaultSampleRate);
    }

    /// <summary>unlabelled, the labelled sets in the order given, dev, test_seen, test_unseen, the channel test sets in the order given.</summary>
    private static int OutputOrder(string split, CorpusOptions options)
    {
        if (split == CorpusOptions.UnlabelledName)
            return 0;
        for (int i = 0; i < options.LabelledSets.Count; i++)
        {
            if (options.LabelledSets[i].Name == split)
                return 1 + i;
        }
        int after = 1 + options.LabelledSets.Count;
        var channels = options.ChannelTests.Distinct().ToArray();
        for (int i = 0; i < channels.Length; i++)
        {
            if (ChannelTestMaker.SplitName(channels[i]) == split)
                return after + 3 + i;
        }
        return split switch
        {
            CorpusOptions.DevName => after,
            CorpusOptions.TestSeenName => after + 1,
            _ => after + 2,
        };
    }

    private static FileStream LockFolder(string output)
    {
        var path = Path.Combine(output, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new CorpusException($"Another run is writing the corpus in {output} (cannot lock {path}: {e.Message}).", e);
        }
    }
}
