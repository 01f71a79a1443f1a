namespace Wav2Vec2Sharp.Corpus;

/// <summary>The utterances of one finished split.</summary>
/// <param name="Plan">The split's plan.</param>
/// <param name="Accepted">The utterances in the split, in order.</param>
/// <param name="Failures">The utterances skipped.</param>
/// <param name="Synthesized">How many accepted or extra utterances an engine made in this run.</param>
/// <param name="SynthesizedSamples">Their total length.</param>
/// <param name="Reused">How many were reused or copied.</param>
/// <param name="Complete">Whether the split reached its duration.</param>
internal sealed record SplitOutcome(SplitPlan Plan, IReadOnlyList<UtteranceOutcome> Accepted, IReadOnlyList<SynthesisFailure> Failures,
    int Synthesized, long SynthesizedSamples, int Reused, bool Complete);

/// <summary>
/// Makes a split's utterances in batches, in parallel, until their total duration reaches the split's target. The split
/// ends with the first utterance, in index order, that reaches it; so the result does not depend on the parallelism or
/// on which files were already there. Utterances made beyond that point in the last batch are kept on disk (they are
/// valid cache entries) but left out of the manifests.
/// </summary>
internal sealed class SplitSynthesizer
{
    private const int MinAttemptsBeforeGivingUp = 32;

    private readonly UtteranceMaker _maker;
    private readonly IReadOnlyDictionary<TtsEngine, ISpeechEngine> _engines;
    private readonly CorpusOptions _options;
    private readonly IProgress<CorpusProgress>? _progress;

    public SplitSynthesizer(IReadOnlyDictionary<TtsEngine, ISpeechEngine> engines, CorpusOptions options, IProgress<CorpusProgress>? progress)
    {
        _engines = engines;
        _maker = new UtteranceMaker(engines);
        _options = options;
        _progress = progress;
    }

    /// <summary>Makes the split of <paramref name="plan"/> in <paramref name="folder"/>.</summary>
    /// <exception cref="CorpusException">Most utterances fail, or none succeeds before the sentences run out.</exception>
    public async Task<SplitOutcome> RunAsync(SplitPlan plan, string folder, string? copyFolder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        RemoveLeftovers(folder);

        var accepted = new List<UtteranceOutcome>();
        var failures = new List<SynthesisFailure>();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        double seconds = 0, estimated = 0, measured = 0;
        int next = 0, synthesized = 0, reused = 0;
        long synthesizedSamples = 0;
        bool exhausted = false;
        int maxBatch = Math.Max(16, 4 * _options.Parallelism);

        while (seconds < plan.TargetSeconds && !exhausted)
        {
            // Enough utterances to reach the target by the estimate so far (corrected by the measured/estimated ratio), at
            // least one per parallel slot, at most maxBatch.
            double ratio = estimated > 0 ? measured / estimated : 1;
            var batch = new List<Utterance>();
            double batchEstimate = 0;
            while (batch.Count < maxBatch && (batchEstimate * ratio < plan.TargetSeconds - seconds || batch.Count < _options.Parallelism))
            {
                if (plan.SentenceAt(next) is not { } sentence)
                {
                    exhausted = true;
                    break;
                }
                batch.Add(Plan(plan, next++, sentence));
                batchEstimate += CorpusPlanner.EstimateSeconds(sentence) / batch[^1].Speaker.Tempo;
            }
            if (batch.Count == 0)
                break;

            var outcomes = new UtteranceOutcome[batch.Count];
            var before = (Count: accepted.Count, Seconds: seconds, Synthesized: synthesized, Reused: reused, Failed: failures.Count);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), parallel, async (i, token) =>
            {
                outcomes[i] = await _maker.MakeAsync(batch[i], folder, copyFolder, token).ConfigureAwait(false);
                if (outcomes[i].Kind == OutcomeKind.Failed)
                {
                    var u = outcomes[i].Utterance;
                    _progress?.Report(new CorpusProgress(plan.Name, before.Count, before.Seconds, plan.TargetSeconds, before.Synthesized, before.Reused, before.Failed,
                        new SynthesisFailure(plan.Name, u.Index, u.Speaker.Id, u.Text, outcomes[i].Error!)));
                }
            }).ConfigureAwait(false);

            foreach (var outcome in outcomes)
            {
                if (outcome.Kind == OutcomeKind.Failed)
                {
                    var u = outcome.Utterance;
                    failures.Add(new SynthesisFailure(plan.Name, u.Index, u.Speaker.Id, u.Text, outcome.Error!));
                    continue;
                }
                kept.Add(outcome.Utterance.FileName);
                double duration = outcome.Samples / (double)Audio.AudioFile.DefaultSampleRate;
                estimated += CorpusPlanner.EstimateSeconds(outcome.Utterance.Text) / outcome.Utterance.Speaker.Tempo;
                measured += duration;
                if (outcome.Kind == OutcomeKind.Synthesized)
                {
                    synthesized++;
                    synthesizedSamples += outcome.Samples;
                }
                else
                {
                    reused++;
                }
                if (seconds < plan.TargetSeconds)
                {
                    accepted.Add(outcome);
                    seconds += duration;
                }
            }
            int attempts = next;
            if (attempts >= MinAttemptsBeforeGivingUp && failures.Count * 2 > attempts)
            {
                throw new CorpusException(
                    $"Speech synthesis keeps failing in {plan.Name}: {failures.Count} of {attempts} utterances failed; the first failure: {failures[0]}");
            }
            _progress?.Report(new CorpusProgress(plan.Name, accepted.Count, seconds, plan.TargetSeconds, synthesized, reused, failures.Count));
        }

        if (accepted.Count == 0)
        {
            var cause = failures.Count > 0 ? $"; the first failure: {failures[0]}" : "";
            throw new CorpusException($"No utterance of {plan.Name} could be made ({failures.Count} failed){cause}");
        }
        RemoveStaleUtterances(folder, kept);
        return new SplitOutcome(plan, accepted, failures, synthesized, synthesizedSamples, reused, seconds >= plan.TargetSeconds);
    }

    private Utterance Plan(SplitPlan plan, int index, string sentence)
    {
        var speaker = plan.SpeakerAt(index);
        var augmentation = plan.Augment && _options.Augmentation is { } options
            ? Augmentation.Draw(options, _options.Seed, sentence, speaker.Id)
            : null;
        return Utterance.Create(index, sentence, speaker, augmentation, _engines[speaker.Engine].Version);
    }

    /// <summary>Deletes the hidden temporary files a killed run may have left (<c>.*.tmp</c>, <c>.*.engine.wav</c>); they are never reused.</summary>
    internal static void RemoveLeftovers(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, ".*"))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".tmp", StringComparison.Ordinal) || name.EndsWith(UtteranceMaker.EngineOutputSuffix, StringComparison.Ordinal))
                File.Delete(file);
        }
    }

    /// <summary>Deletes utterance files of other settings (another seed, other options, an older engine) that this run did not use.</summary>
    internal static void RemoveStaleUtterances(string folder, HashSet<string> kept)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.wav"))
        {
            var name = Path.GetFileName(file);
            if (Utterance.IsUtteranceFileName(name) && !kept.Contains(name))
                File.Delete(file);
        }
    }
}
