using System.Diagnostics;
using TorchSharp;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Masking;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Runtime;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// CTC fine-tuning (fairseq's recipe on HF's <c>Wav2Vec2ForCTC</c>): frozen feature encoder, body frozen for the first
/// updates, time and channel masking, tri-stage learning rate, CTC with blank = <c>&lt;pad&gt;</c> and zero_infinity,
/// dev-set greedy WER/CER every N updates with the best checkpoint kept, NaN/∞ steps skipped, exact resume.
/// </summary>
public sealed class FineTuner
{
    private readonly Wav2Vec2ForCtc _model;
    private readonly Vocabulary _vocabulary;
    private readonly FineTuningOptions _options;
    private readonly FeatureExtractorConfig _featureExtractor;
    private readonly CheckpointStore _checkpoints;
    private readonly MetricsLog _metrics;
    private readonly AdamW _optimizer;
    private readonly TriStageSchedule _lr;
    private readonly Text.TextNormalizer _normalizer;
    private readonly Device _device;
    private readonly DataParallel _parallel;
    private CnnFeatureCache? _trainFeatures, _devFeatures;
    private BabblePool? _babble;

    /// <summary>Prepares fine-tuning of <paramref name="model"/> into <paramref name="outputDirectory"/>.</summary>
    /// <param name="model">The CTC model (head sized to <paramref name="vocabulary"/>).</param>
    /// <param name="vocabulary">Output symbols; its pad token is the CTC blank.</param>
    /// <param name="options">The recipe.</param>
    /// <param name="outputDirectory">Where checkpoints, metrics and the final model go.</param>
    /// <param name="featureExtractor">Preprocessing saved with the model.</param>
    /// <param name="normalizer">Applied to references and hypotheses before scoring (case, punctuation); the default when null.</param>
    /// <param name="parallel">The data-parallel job this process is part of; one process when null. Rank 0 validates and writes the files.</param>
    public FineTuner(Wav2Vec2ForCtc model, Vocabulary vocabulary, FineTuningOptions options, string outputDirectory, FeatureExtractorConfig featureExtractor,
        Text.TextNormalizer? normalizer = null, DataParallelOptions? parallel = null)
    {
        options.Validate();
        _normalizer = normalizer ?? Text.TextNormalizer.Default;
        if (vocabulary.Count != model.Config.VocabSize)
            throw new ConfigException($"the vocabulary has {vocabulary.Count} tokens but the model's vocab_size is {model.Config.VocabSize}.");
        _model = model;
        _vocabulary = vocabulary;
        _options = options;
        _device = Runtime.TorchRuntime.ResolveDevice(options.Device);
        model.to(_device); // before the optimizer takes the parameters
        _featureExtractor = featureExtractor;
        OutputDirectory = outputDirectory;
        _checkpoints = new CheckpointStore(outputDirectory, options.KeepLast);
        _metrics = new MetricsLog(Path.Combine(outputDirectory, "metrics.jsonl"));
        _optimizer = new AdamW(model.parameters(), lr: options.PeakLr, beta1: options.AdamBeta1, beta2: options.AdamBeta2,
            eps: options.AdamEpsilon, weightDecay: options.WeightDecay);
        _lr = new TriStageSchedule(options.PeakLr, options.MaxUpdates);
        _parallel = new DataParallel(parallel ?? new DataParallelOptions(), model, _optimizer);
    }

    /// <summary>Checkpoints, metrics, curves and the final model (<c>model/</c>, the best by dev WER) go here.</summary>
    public string OutputDirectory { get; }

    /// <summary>The metrics file (JSON lines).</summary>
    public string MetricsPath => _metrics.Path;

    /// <summary>Trains on <paramref name="train"/>, validating on <paramref name="dev"/> (may be empty).</summary>
    /// <returns>The final state; <see cref="TrainerState.BestValidLoss"/> holds the best dev WER (or CER, see <see cref="FineTuningOptions.BestCheckpointMetric"/>).</returns>
    /// <param name="train">Training clips.</param>
    /// <param name="dev">Dev clips, scored every <see cref="FineTuningOptions.ValidateEveryUpdates"/> updates.</param>
    /// <param name="resume">Continue from the latest checkpoint in the output folder, if there is one.</param>
    /// <param name="progress">Told after every update.</param>
    /// <param name="cancellation">Stops after the current update (on every rank) and writes a checkpoint.</param>
    public TrainerState Run(IReadOnlyList<LabelledClip> train, IReadOnlyList<LabelledClip> dev, bool resume, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        bool augmenting = !_options.Augmentation.IsEmpty;
        if (augmenting && _featureExtractor.DoNormalize && train.FirstOrDefault(c => c.RawSamples is null) is { } normalised)
            throw new Wav2Vec2SharpException($"{normalised.Source}: augmentation works on raw audio, but this model normalises its input and the clip " +
                "holds only normalised audio (load the training data with keepRawTrainingAudio).");
        var state = TrainingRun.Begin(_options.Seed, resume, _checkpoints, _model, _optimizer, _metrics, _parallel.IsRoot);
        _parallel.EnsureSameStart(state, train.Count, dev.Count);
        using var gradients = _parallel.StartGradientReduction();
        if (_parallel.IsRoot)
        {
            Directory.CreateDirectory(OutputDirectory);
            ConfigJson.Write(Path.Combine(OutputDirectory, FineTuningRun.OptionsFile), _options);
        }
        if (_options.FreezeFeatureEncoder)
        {
            // The frozen CNN's output never changes: compute it once per clip (exact, and most of the compute). With
            // augmentation the training audio differs in every epoch, so the training clips' features cannot be cached:
            // they are computed for each batch instead (see Loss). The dev audio is never augmented and stays cached.
            _trainFeatures = augmenting ? null : new CnnFeatureCache(_model, train.Select(c => c.Samples).ToList());
            _devFeatures = _parallel.IsRoot ? new CnnFeatureCache(_model, dev.Select(c => c.Samples).ToList()) : null;
        }
        if (augmenting && TrainingAugmentation.UsesBabble(_options.Augmentation))
        {
            var pool = TrainingAugmentation.BabbleIndices(train.Count, _options.Seed);
            _babble = new BabblePool(pool, pool.Select(i => TrainingAugmentation.BabbleClip(train[i].RawSamples ?? train[i].Samples)).ToList());
        }

        var batches = new LabelledBatchPlanner(train.Select(c => c.Samples.Length).ToList(), _options.MaxTokens, _options.Seed);
        var plan = batches.PlanEpoch(state.Epoch);
        int position = state.EpochPosition, sinceBest = 0;
        _model.train();
        var clock = Stopwatch.StartNew();
        double startWall = state.WallSeconds;
        long startUpdates = state.Updates;
        bool cancelled = false;
        while (state.Updates < _options.MaxUpdates && !cancelled)
        {
            var step = Stopwatch.StartNew();
            var micro = new List<(int[] Indices, int Epoch, int Position)>();
            for (int i = 0; i < _options.UpdateFrequency * _parallel.Size; i++) // this rank's share of the global batches
            {
                if (position >= plan.Count)
                {
                    state = state with { Epoch = state.Epoch + 1 };
                    plan = batches.PlanEpoch(state.Epoch);
                    position = 0;
                }
                position++;
                if (_parallel.Owns(i))
                    micro.Add((plan[position - 1], state.Epoch, position));
            }
            var (metrics, applied, seconds, stop) = TrainStep(train, micro, state.Updates, cancellation);
            cancelled = stop;
            state = state with
            {
                Updates = state.Updates + (applied ? 1 : 0),
                SkippedSteps = state.SkippedSteps + (applied ? 0 : 1),
                EpochPosition = position,
                AudioSeconds = state.AudioSeconds + seconds,
                WallSeconds = startWall + clock.Elapsed.TotalSeconds,
            };
            metrics["audio_seconds_per_second"] = seconds / step.Elapsed.TotalSeconds;
            metrics["skipped_steps"] = state.SkippedSteps;
            _parallel.AfterStep(metrics, applied, state.Updates);
            bool last = state.Updates == _options.MaxUpdates;
            if (applied && _parallel.IsRoot && (state.Updates % _options.LogEveryUpdates == 0 || last))
                _metrics.Append(MetricsLog.Record("train", state.Updates, metrics));
            bool newBest = false;
            if (applied && dev.Count > 0 && (state.Updates % _options.ValidateEveryUpdates == 0 || last))
            {
                (state, sinceBest, metrics["dev_wer"]) = ValidateOnRoot(dev, state, sinceBest);
                newBest = state.BestUpdate == state.Updates; // the final model is copied from the best checkpoint: it must exist
            }
            bool stopEarly = _options.EarlyStoppingPatience > 0 && sinceBest >= _options.EarlyStoppingPatience;
            if (applied && (state.Updates % _options.SaveEveryUpdates == 0 || last || stopEarly || newBest))
                Save(state);

            var eta = TrainingRun.Eta(clock.Elapsed, state.Updates - startUpdates, state.Updates, _options.MaxUpdates);
            progress?.Report(new TrainingProgress(state.Updates, _options.MaxUpdates, metrics, clock.Elapsed, eta));
            if (stopEarly)
                break;
        }
        if (cancelled)
            Save(state);
        _parallel.OnRoot(() =>
        {
            if (!cancelled)
                ExportBest(state);
        });
        return state with { Stopped = cancelled };
    }

    // Rank 0 scores the dev set and decides whether this is the best checkpoint; every rank learns the decision, so
    // early stopping ends the run on all ranks at the same update.
    private (TrainerState State, int SinceBest, double Wer) ValidateOnRoot(IReadOnlyList<LabelledClip> dev, TrainerState state, int sinceBest)
    {
        double wer = double.NaN;
        if (_parallel.IsRoot)
        {
            (wer, double cer) = Validate(dev);
            _metrics.Append(MetricsLog.Record("valid", state.Updates, new Dictionary<string, double> { ["wer"] = wer, ["cer"] = cer }));
            // lower primary metric (WER by default) wins; at a tie (e.g. 100 % WER early on) the other one decides
            var (primary, secondary) = _options.BestCheckpointMetric == "cer" ? (cer, wer) : (wer, cer);
            bool better = state.BestValidLoss is not { } best || primary < best || (primary == best && secondary < (state.BestValidTieBreak ?? double.MaxValue));
            state = better ? state with { BestValidLoss = primary, BestValidTieBreak = secondary, BestUpdate = state.Updates } : state;
            sinceBest = better ? 0 : sinceBest + 1;
        }
        var decided = _parallel.FromRoot([state.BestValidLoss ?? double.NaN, state.BestValidTieBreak ?? double.NaN, state.BestUpdate ?? -1, sinceBest, wer]);
        state = state with
        {
            BestValidLoss = double.IsNaN(decided[0]) ? null : decided[0],
            BestValidTieBreak = double.IsNaN(decided[1]) ? null : decided[1],
            BestUpdate = decided[2] < 0 ? null : (long)decided[2],
        };
        return (state, (int)decided[3], decided[4]);
    }

    /// <summary>Greedy transcripts of <paramref name="clips"/>, one clip at a time as <c>w2v transcribe</c> does.</summary>
    public static List<string> Transcribe(Wav2Vec2ForCtc model, Vocabulary vocabulary, IEnumerable<float[]> clips)
    {
        var list = clips as IReadOnlyList<float[]> ?? clips.ToList();
        return GreedyTranscripts(model, vocabulary, list.Count, i =>
        {
            var (logits, frames, _) = Inference.TorchAcousticModel.Run(model, list[i]);
            return (logits, frames);
        });
    }

    // Greedy transcripts from cached CNN features, one clip at a time: the same computation as a full single-clip forward.
    private List<string> TranscribeCached(CnnFeatureCache cache) => GreedyTranscripts(_model, _vocabulary, cache.Count, i =>
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var (features, _) = cache.Batch([i]);
        using var output = _model.ForwardFeatures(features.to(_device), null, null, null, freezeBody: false);
        var logits = output.Logits[0].cpu().contiguous(); // (T, V)
        return (logits.data<float>().ToArray(), (int)logits.shape[0]);
    });

    // Decodes the logits of clips 0..count-1 greedily with the model in eval mode, restoring its mode afterwards.
    private static List<string> GreedyTranscripts(Wav2Vec2ForCtc model, Vocabulary vocabulary, int count, Func<int, (float[] Logits, int Frames)> logitsOf)
    {
        var decoder = new GreedyCtcDecoder(vocabulary);
        bool training = model.training;
        model.eval();
        var texts = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            var (logits, frames) = logitsOf(i);
            texts.Add(decoder.Decode(logits, frames));
        }
        model.train(training);
        return texts;
    }

    // One update from this rank's micro-batches; the figures, the skip decision and the gradients are summed over ranks.
    private (Dictionary<string, double> Metrics, bool Applied, double Seconds, bool Stop) TrainStep(IReadOnlyList<LabelledClip> clips,
        List<(int[] Indices, int Epoch, int Position)> micro, long updates, CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        double lr = _lr.At(updates);
        foreach (var group in _optimizer.ParamGroups)
            group.LearningRate = lr;
        bool freezeBody = updates < _options.FreezeBodyUpdates;
        _optimizer.zero_grad();

        double loss = 0, seconds = 0, utterances = 0, nonFinite = 0;
        for (int m = 0; m < micro.Count; m++)
        {
            var (indices, epoch, position) = micro[m];
            var batch = indices.Select(i => Augmented(clips[i], i, epoch)).ToList();
            seconds += batch.Sum(c => c.Samples.Length) / 16000.0;
            DataParallel.SeedBatch(_options.Seed, epoch, position);
            var value = Loss(batch, indices, freezeBody);
            if (_parallel.InjectsNonFiniteLoss(updates))
                value = value.Times(double.NaN);
            if (m == micro.Count - 1)
                _parallel.BeforeLastBackward();
            value.backward();
            double item = value.item<float>();
            nonFinite += double.IsFinite(item) ? 0 : 1;
            loss += item;
            utterances += batch.Count;
        }
        _parallel.ReduceGradients(); // before any other collective call: the overlapped reduction may still be running
        var sums = _parallel.Sum(loss, utterances, seconds, micro.Count, nonFinite, cancellation.IsCancellationRequested ? 1 : 0); // a stop asked during this step ends the run after it
        (loss, utterances, seconds) = (sums[0], sums[1], sums[2]);
        double batches = sums[3];

        double gradNorm = double.NaN;
        bool finite = sums[4] == 0; // a NaN on any rank skips the update on every rank
        if (finite)
        {
            if (_options.CtcReduction == "sum")
            {
                using (no_grad())
                {
                    foreach (var p in _model.parameters())
                        p.grad?.TimesInPlace(1.0 / utterances); // fairseq sentence_avg, over the utterances of all ranks
                }
            }
            var trainable = _model.parameters().Where(p => p.grad is not null).ToList();
            gradNorm = trainable.Count == 0 ? 0 : nn.utils.clip_grad_norm_(trainable, _options.ClipNorm > 0 ? _options.ClipNorm : double.PositiveInfinity);
        }
        bool applied = finite && double.IsFinite(gradNorm);
        if (applied)
            _optimizer.Step();
        _optimizer.zero_grad();
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = _options.CtcReduction == "sum" ? loss / utterances : loss / batches,
            ["lr"] = lr,
            ["grad_norm"] = gradNorm,
            ["body_frozen"] = freezeBody ? 1 : 0,
            ["utterances"] = utterances,
        };
        return (metrics, applied, seconds, sums[5] > 0);
    }

    // The clip as trained on in this epoch: its raw audio augmented from a seed keyed by (seed, epoch, clip index), never
    // by the rank or the batch, then normalised when the model expects it. A clip that speed perturbation makes too short
    // for its transcript or the time mask (the clips LoadData leaves out) is used unaugmented in this epoch.
    private LabelledClip Augmented(LabelledClip clip, int index, int epoch)
    {
        if (_options.Augmentation.IsEmpty)
            return clip;
        var samples = _options.Augmentation.Apply(clip.RawSamples ?? clip.Samples, TrainingAugmentation.SampleRate,
            TrainingAugmentation.Seed(_options.Seed, epoch, index), _babble?.For(index));
        if (_featureExtractor.DoNormalize)
            samples = WaveformNormalizer.ZeroMeanUnitVariance(samples);
        long frames = _model.Config.OutputLength(samples.Length);
        return frames < clip.RequiredFrames || frames < _options.MaskTimeLength ? clip : clip with { Samples = samples, RawSamples = null };
    }

    private Tensor Loss(List<LabelledClip> batch, int[] indices, bool freezeBody)
    {
        // With augmentation and a frozen CNN, this batch's features are computed here from its augmented audio, per clip
        // and in fp32 as the cache computes them, and not kept: the audio differs in every epoch.
        CnnFeatureCache? features = _trainFeatures;
        int[] rows = indices;
        if (features is null && _options.FreezeFeatureEncoder)
            (features, rows) = (new CnnFeatureCache(_model, batch.Select(c => c.Samples).ToList()), Enumerable.Range(0, batch.Count).ToArray());
        using var precision = _options.Bf16 ? Modules.Autocast.Enable() : null;
        int maxLabels = batch.Max(c => c.Labels.Length);
        var labels = new long[batch.Count * maxLabels];
        Array.Fill(labels, -100L);
        for (int b = 0; b < batch.Count; b++)
        {
            for (int s = 0; s < batch[b].Labels.Length; s++)
                labels[b * maxLabels + s] = batch[b].Labels[s];
        }
        var frameLengths = batch.Select(c => _model.Config.OutputLength(c.Samples.Length)).ToArray();
        long frames = frameLengths.Max();
        var config = _model.Config;
        var timeMask = _options.MaskTimeProb > 0
            ? SpanMasker.Compute(batch.Count, frames, frameLengths, _options.MaskTimeProb, _options.MaskTimeLength, 2).to(_device)
            : null;
        var channelMask = _options.MaskChannelProb > 0
            ? SpanMasker.Compute(batch.Count, config.HiddenSize, null, _options.MaskChannelProb, Math.Min(_options.MaskChannelLength, config.HiddenSize), 0).to(_device)
            : null;
        using var output = features is not null
            ? ForwardCached(features, rows, timeMask, channelMask, freezeBody)
            : ForwardAudio(batch, timeMask, channelMask, freezeBody);
        return CtcLoss.Compute(output.Logits, output.FrameLengths, tensor(labels, [batch.Count, maxLabels]).to(_device), _vocabulary.BlankId,
            _options.CtcReduction, _options.CtcZeroInfinity);
    }

    private CtcOutput ForwardCached(CnnFeatureCache cache, int[] rows, Tensor? timeMask, Tensor? channelMask, bool freezeBody)
    {
        var (features, frameMask) = cache.Batch(rows);
        return _model.ForwardFeatures(features.to(_device), frameMask.to(_device), timeMask, channelMask, freezeBody);
    }

    private CtcOutput ForwardAudio(List<LabelledClip> batch, Tensor? timeMask, Tensor? channelMask, bool freezeBody)
    {
        int longest = batch.Max(c => c.Samples.Length);
        var audio = new float[batch.Count * longest];
        var mask = new long[batch.Count * longest];
        for (int b = 0; b < batch.Count; b++)
        {
            batch[b].Samples.CopyTo(audio, b * longest);
            Array.Fill(mask, 1L, b * longest, batch[b].Samples.Length);
        }
        return _model.Forward(tensor(audio, [batch.Count, longest]).to(_device), tensor(mask, [batch.Count, longest]).to(_device), timeMask, channelMask,
            _options.FreezeFeatureEncoder ? 0.0 : 1.0, freezeBody);
    }

    private (double Wer, double Cer) Validate(IReadOnlyList<LabelledClip> dev)
    {
        using var rng = get_rng_state();
        var hypotheses = _devFeatures is { } cached ? TranscribeCached(cached) : Transcribe(_model, _vocabulary, dev.Select(c => c.Samples));
        set_rng_state(rng);
        var scores = Evaluation.ErrorRates.Corpus(dev.Select(c => _normalizer.Normalize(c.Text)).ToList(),
            hypotheses.Select(_normalizer.Normalize).ToList());
        return (scores.Wer, scores.Cer);
    }

    private void Save(TrainerState state) => _parallel.OnRoot(() =>
        _checkpoints.Save(_model, _model.Config, Wav2Vec2Pretrained.CtcArchitecture, _optimizer,
            state with { BatchesPerUpdate = _parallel.Size * _options.UpdateFrequency }, _featureExtractor, _vocabulary));

    // The final model is the best by dev WER when there was a dev set, else the last.
    private void ExportBest(TrainerState state)
    {
        var target = Path.Combine(OutputDirectory, "model");
        var best = state.BestUpdate is { } update ? Path.Combine(_checkpoints.Directory, $"update_{update:D7}") : null;
        if (best is not null && Directory.Exists(best))
        {
            Directory.CreateDirectory(target);
            foreach (var file in new[] { "config.json", "model.safetensors", "vocab.json", "preprocessor_config.json" })
                AtomicFile.Write(Path.Combine(target, file), (string temp) => File.Copy(Path.Combine(best, file), temp));
        }
        else
            Wav2Vec2Pretrained.Save(_model, target, _vocabulary, _featureExtractor);
        Decoding.TokenizerFiles.Save(target, _vocabulary);
    }
}
