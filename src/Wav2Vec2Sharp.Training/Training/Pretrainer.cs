using System.Diagnostics;
using TorchSharp;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Masking;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Runtime;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// Self-supervised pretraining (fairseq's recipe on HF's model): random span masks, K distractors from the same
/// utterance, contrastive + diversity + feature-penalty loss, AdamW with polynomial decay, gradients normalised by the
/// masked frames of the whole update, NaN/∞ steps skipped and counted, atomic checkpoints every N updates and exact
/// resumption (weights, optimizer moments, RNG, data position, update count, Gumbel temperature).
/// </summary>
public sealed class Pretrainer
{
    private readonly Wav2Vec2ForPreTraining _model;
    private readonly PretrainingOptions _options;
    private readonly FeatureExtractorConfig _featureExtractor;
    private readonly CheckpointStore _checkpoints;
    private readonly MetricsLog _metrics;
    private readonly AdamW _optimizer;
    private readonly PolynomialDecaySchedule _lr;
    private readonly Device _device;
    private readonly DataParallel _parallel;

    /// <summary>Prepares training of <paramref name="model"/> into <paramref name="outputDirectory"/>.</summary>
    /// <param name="model">The model to train.</param>
    /// <param name="options">The recipe.</param>
    /// <param name="outputDirectory">Where checkpoints, metrics and the final model go (rank 0 writes them).</param>
    /// <param name="featureExtractor">Preprocessing saved with the model; from the options when null.</param>
    /// <param name="parallel">The data-parallel job this process is part of; one process when null.</param>
    public Pretrainer(Wav2Vec2ForPreTraining model, PretrainingOptions options, string outputDirectory, FeatureExtractorConfig? featureExtractor = null,
        DataParallelOptions? parallel = null)
    {
        options.Validate();
        _model = model;
        _options = options;
        _device = Runtime.TorchRuntime.ResolveDevice(options.Device);
        model.to(_device); // before the optimizer takes the parameters
        _featureExtractor = featureExtractor ?? FeatureExtractorConfig.For(model.Config) with { DoNormalize = options.Normalize };
        OutputDirectory = outputDirectory;
        _checkpoints = new CheckpointStore(outputDirectory, options.KeepLast);
        _metrics = new MetricsLog(Path.Combine(outputDirectory, "metrics.jsonl"));
        _optimizer = new AdamW(model.parameters(), lr: options.PeakLr, beta1: options.AdamBeta1, beta2: options.AdamBeta2,
            eps: options.AdamEpsilon, weightDecay: options.WeightDecay);
        _lr = new PolynomialDecaySchedule(options.PeakLr, options.WarmupUpdates, options.MaxUpdates);
        _parallel = new DataParallel(parallel ?? new DataParallelOptions(), model, _optimizer);
    }

    /// <summary>Where checkpoints, metrics and the final model go.</summary>
    public string OutputDirectory { get; }

    /// <summary>The metrics file (JSON lines).</summary>
    public string MetricsPath => _metrics.Path;

    /// <summary>
    /// Trains until <see cref="PretrainingOptions.MaxUpdates"/> (or cancellation, after which a checkpoint is written).
    /// </summary>
    /// <param name="openStream">Opens the training stream at (epoch, position); called once.</param>
    /// <param name="validation">Fixed validation batches, or empty.</param>
    /// <param name="resume">Continue from the latest checkpoint in the output folder, if there is one.</param>
    /// <param name="progress">Told after every update.</param>
    /// <param name="cancellation">Stops after the current update.</param>
    /// <returns>The final trainer state.</returns>
    public TrainerState Run(Func<int, int, IBatchStream> openStream, IReadOnlyList<AudioBatch> validation, bool resume, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        var state = TrainingRun.Begin(_options.Seed, resume, _checkpoints, _model, _optimizer, _metrics, _parallel.IsRoot);
        _parallel.EnsureSameStart(state, validation.Count);
        using var gradients = _parallel.StartGradientReduction();

        using var stream = openStream(state.Epoch, state.EpochPosition);
        _model.train();
        var clock = Stopwatch.StartNew();
        double startWall = state.WallSeconds;
        long startUpdates = state.Updates;
        bool cancelled = false;
        while (state.Updates < _options.MaxUpdates && !cancelled)
        {
            var step = Stopwatch.StartNew();
            var (metrics, applied, seconds, stop) = TrainStep(stream, state.Updates, cancellation);
            cancelled = stop;
            state = state with
            {
                Updates = state.Updates + (applied ? 1 : 0),
                SkippedSteps = state.SkippedSteps + (applied ? 0 : 1),
                Epoch = stream.Epoch,
                EpochPosition = stream.Position,
                AudioSeconds = state.AudioSeconds + seconds,
                WallSeconds = startWall + clock.Elapsed.TotalSeconds,
            };
            metrics["audio_seconds_per_second"] = seconds / step.Elapsed.TotalSeconds;
            metrics["skipped_steps"] = state.SkippedSteps;
            _parallel.AfterStep(metrics, applied, state.Updates);

            if (applied && _parallel.IsRoot && (state.Updates % _options.LogEveryUpdates == 0 || state.Updates == _options.MaxUpdates))
                _metrics.Append(MetricsLog.Record("train", state.Updates, metrics));
            if (applied && validation.Count > 0 && (state.Updates % _options.ValidateEveryUpdates == 0 || state.Updates == _options.MaxUpdates))
                state = ValidateOnRoot(validation, state);
            if (applied && (state.Updates % _options.SaveEveryUpdates == 0 || state.Updates == _options.MaxUpdates))
                Save(state);

            var eta = TrainingRun.Eta(clock.Elapsed, state.Updates - startUpdates, state.Updates, _options.MaxUpdates);
            progress?.Report(new TrainingProgress(state.Updates, _options.MaxUpdates, metrics, clock.Elapsed, eta));
        }
        if (cancelled)
            Save(state);
        _parallel.OnRoot(() =>
        {
            if (!cancelled)
                Wav2Vec2Pretrained.Save(_model, Path.Combine(OutputDirectory, "model"), _featureExtractor);
        });
        return state with { Stopped = cancelled };
    }

    // One optimizer update over UpdateFrequency batches per rank (world size × UpdateFrequency batches of the global stream).
    // Returns the metrics (summed over ranks), whether the update was applied, the audio seen by all ranks, and whether
    // any rank was asked to stop.
    private (Dictionary<string, double> Metrics, bool Applied, double Seconds, bool Stop) TrainStep(IBatchStream stream, long updates, CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        _model.Quantizer.Temperature = _options.Temperature.At(updates);
        double lr = _lr.At(updates);
        foreach (var group in _optimizer.ParamGroups)
            group.LearningRate = lr;
        _optimizer.zero_grad();

        var sums = new double[(int)Sums.Count];
        int batchesPerUpdate = _options.UpdateFrequency * _parallel.Size;
        for (int index = 0; index < batchesPerUpdate; index++)
        {
            if (!_parallel.Owns(index))
            {
                stream.Skip();
                continue;
            }
            var batch = stream.Next();
            DataParallel.SeedBatch(_options.Seed, stream.Epoch, stream.Position);
            using var output = Forward(batch);
            var loss = _parallel.InjectsNonFiniteLoss(updates) ? output.Loss.Times(double.NaN) : output.Loss;
            if (index + _parallel.Size >= batchesPerUpdate)
                _parallel.BeforeLastBackward();
            loss.backward();
            double value = loss.item<float>();
            sums[(int)Sums.NonFinite] += double.IsFinite(value) ? 0 : 1;
            sums[(int)Sums.Loss] += value;
            sums[(int)Sums.Contrastive] += output.ContrastiveLoss.item<float>();
            sums[(int)Sums.Diversity] += output.DiversityLoss.item<float>();
            sums[(int)Sums.Penalty] += output.FeaturePenalty.item<float>() * output.MaskedFrames;
            sums[(int)Sums.Perplexity] += output.Perplexity.item<float>();
            sums[(int)Sums.CodePerplexity] += output.CodePerplexity.item<float>();
            sums[(int)Sums.Masked] += output.MaskedFrames;
            sums[(int)Sums.Correct] += output.Correct;
            sums[(int)Sums.Seconds] += batch.Seconds;
            sums[(int)Sums.Batches] += 1;
        }
        _parallel.ReduceGradients(); // before any other collective call: the overlapped reduction may still be running
        sums[(int)Sums.Stop] = cancellation.IsCancellationRequested ? 1 : 0; // read last: a stop asked during this step ends the run after it
        _parallel.Sum(sums); // a NaN on any rank skips the update on every rank

        // fairseq: gradients are divided by the number of masked frames in the whole update, over all ranks
        double masked = sums[(int)Sums.Masked], gradNorm = double.NaN;
        bool finite = sums[(int)Sums.NonFinite] == 0;
        if (finite && masked > 0)
        {
            using (no_grad())
            {
                foreach (var p in _model.parameters())
                    p.grad?.TimesInPlace(1.0 / masked);
            }
            // after the reduction every rank holds the same gradients, so this is the global norm
            gradNorm = nn.utils.clip_grad_norm_(_model.parameters(), _options.ClipNorm > 0 ? _options.ClipNorm : double.PositiveInfinity);
        }
        bool applied = finite && masked > 0 && double.IsFinite(gradNorm);
        if (applied)
            _optimizer.Step();
        _optimizer.zero_grad();

        double bits = Math.Log(2) * Math.Max(1, masked), batches = Math.Max(1, sums[(int)Sums.Batches]);
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = sums[(int)Sums.Loss] / bits,
            ["contrastive_loss"] = sums[(int)Sums.Contrastive] / bits,
            ["diversity_loss"] = _options.Loss.DiversityWeight * sums[(int)Sums.Diversity] / bits,
            ["feature_penalty"] = _options.Loss.FeaturePenaltyWeight * sums[(int)Sums.Penalty] / bits,
            ["accuracy"] = masked > 0 ? sums[(int)Sums.Correct] / masked : 0,
            ["prob_perplexity"] = sums[(int)Sums.Perplexity] / batches,
            ["code_perplexity"] = sums[(int)Sums.CodePerplexity] / batches,
            ["temperature"] = _model.Quantizer.Temperature,
            ["lr"] = lr,
            ["grad_norm"] = gradNorm,
            ["masked_frames"] = masked,
        };
        return (metrics, applied, sums[(int)Sums.Seconds], sums[(int)Sums.Stop] > 0);
    }

    // The per-step figures summed over ranks.
    private enum Sums { Loss, Contrastive, Diversity, Penalty, Perplexity, CodePerplexity, Masked, Correct, Seconds, Batches, NonFinite, Stop, Count }

    private PretrainingLossOutput Forward(AudioBatch batch)
    {
        using var precision = _options.Bf16 ? Modules.Autocast.Enable() : null;
        var input = tensor(batch.Samples).view(batch.Batch, batch.Length).to(_device);
        long frames = _model.Config.OutputLength(batch.Length);
        var mask = SpanMasker.Compute(batch.Batch, frames, null, _options.MaskProb, _options.MaskLength, _options.MinMasks);
        var negatives = NegativeSampler.Sample(mask, _options.NumNegatives);
        return _model.PretrainingLoss(input, null, mask.to(_device), negatives.to(_device), _options.Loss);
    }

    // Rank 0 validates; every rank learns the best loss and update.
    private TrainerState ValidateOnRoot(IReadOnlyList<AudioBatch> batches, TrainerState state)
    {
        if (_parallel.IsRoot)
            state = Validate(batches, state);
        var best = _parallel.FromRoot([state.BestValidLoss ?? double.NaN, state.BestUpdate ?? -1]);
        return state with { BestValidLoss = double.IsNaN(best[0]) ? null : best[0], BestUpdate = best[1] < 0 ? null : (long)best[1] };
    }

    // Validation: eval mode (no dropout, argmax quantizer), masks and distractors from a fixed seed so that every
    // validation sees the same task; the training RNG stream is left untouched.
    private TrainerState Validate(IReadOnlyList<AudioBatch> batches, TrainerState state)
    {
        using var scope = NewDisposeScope();
        var rng = get_rng_state();
        manual_seed(_options.Seed + 7919);
        _model.eval();
        double loss = 0;
        long masked = 0, correct = 0;
        double perplexity = 0;
        using (no_grad())
        {
            foreach (var batch in batches)
            {
                using var output = Forward(batch);
                loss += output.Loss.item<float>();
                masked += output.MaskedFrames;
                correct += output.Correct;
                perplexity += output.CodePerplexity.item<float>() / batches.Count;
            }
        }
        _model.train();
        set_rng_state(rng);
        double perFrame = loss / Math.Log(2) / Math.Max(1, masked);
        _metrics.Append(MetricsLog.Record("valid", state.Updates, new Dictionary<string, double>
        {
            ["loss"] = perFrame, ["accuracy"] = masked > 0 ? (double)correct / masked : 0, ["code_perplexity"] = perplexity,
        }));
        return state.BestValidLoss is { } best && best <= perFrame ? state : state with { BestValidLoss = perFrame, BestUpdate = state.Updates };
    }

    private void Save(TrainerState state) => _parallel.OnRoot(() =>
        _checkpoints.Save(_model, _model.Config, Wav2Vec2Pretrained.PreTrainingArchitecture, _optimizer,
            state with { BatchesPerUpdate = _parallel.Size * _options.UpdateFrequency }, _featureExtractor));
}
