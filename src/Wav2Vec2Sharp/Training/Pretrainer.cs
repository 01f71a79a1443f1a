using System.Diagnostics;
using TorchSharp;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Masking;
using Wav2Vec2Sharp.Models;
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
    private readonly TorchSharp.Modules.AdamW _optimizer;
    private readonly PolynomialDecaySchedule _lr;
    private readonly Device _device;

    /// <summary>Prepares training of <paramref name="model"/> into <paramref name="outputDirectory"/>.</summary>
    public Pretrainer(Wav2Vec2ForPreTraining model, PretrainingOptions options, string outputDirectory, FeatureExtractorConfig? featureExtractor = null)
    {
        _model = model;
        _options = options;
        _device = Inference.TorchRuntime.ResolveDevice(options.Device);
        model.to(_device); // before the optimizer takes the parameters
        _featureExtractor = featureExtractor ?? FeatureExtractorConfig.For(model.Config) with { DoNormalize = options.Normalize };
        OutputDirectory = outputDirectory;
        _checkpoints = new CheckpointStore(outputDirectory, options.KeepLast);
        _metrics = new MetricsLog(Path.Combine(outputDirectory, "metrics.jsonl"));
        _optimizer = optim.AdamW(model.parameters(), lr: options.PeakLr, beta1: options.AdamBeta1, beta2: options.AdamBeta2,
            eps: options.AdamEpsilon, weight_decay: options.WeightDecay);
        _lr = new PolynomialDecaySchedule(options.PeakLr, options.WarmupUpdates, options.MaxUpdates);
    }

    /// <summary>Where checkpoints, metrics and the final model go.</summary>
    public string OutputDirectory { get; }

    /// <summary>The metrics file (JSON lines).</summary>
    public string MetricsPath => _metrics.Path;

    /// <summary>Raised after every update.</summary>
    public event Action<TrainingProgress>? Progress;

    /// <summary>
    /// Trains until <see cref="PretrainingOptions.MaxUpdates"/> (or cancellation, after which a checkpoint is written).
    /// </summary>
    /// <param name="openStream">Opens the training stream at (epoch, position); called once.</param>
    /// <param name="validation">Fixed validation batches, or empty.</param>
    /// <param name="resume">Continue from the latest checkpoint in the output folder, if there is one.</param>
    /// <param name="cancellation">Stops after the current update.</param>
    /// <returns>The final trainer state.</returns>
    public TrainerState Run(Func<int, int, IBatchStream> openStream, IReadOnlyList<AudioBatch> validation, bool resume, CancellationToken cancellation = default)
    {
        var state = TrainingRun.Begin(_options.Seed, resume, _checkpoints, _model, _optimizer, _metrics);

        using var stream = openStream(state.Epoch, state.EpochPosition);
        _model.train();
        var clock = Stopwatch.StartNew();
        double startWall = state.WallSeconds;
        long startUpdates = state.Updates;
        while (state.Updates < _options.MaxUpdates && !cancellation.IsCancellationRequested)
        {
            var step = Stopwatch.StartNew();
            var (metrics, applied, seconds) = TrainStep(stream, state.Updates);
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

            if (applied && (state.Updates % _options.LogEveryUpdates == 0 || state.Updates == _options.MaxUpdates))
                _metrics.Append(MetricsLog.Record("train", state.Updates, metrics));
            if (applied && validation.Count > 0 && (state.Updates % _options.ValidateEveryUpdates == 0 || state.Updates == _options.MaxUpdates))
                state = Validate(validation, state);
            if (applied && (state.Updates % _options.SaveEveryUpdates == 0 || state.Updates == _options.MaxUpdates))
                Save(state);

            var eta = TrainingRun.Eta(clock.Elapsed, state.Updates - startUpdates, state.Updates, _options.MaxUpdates);
            Progress?.Invoke(new TrainingProgress(state.Updates, _options.MaxUpdates, metrics, clock.Elapsed, eta));
        }
        if (cancellation.IsCancellationRequested)
            Save(state);
        else
            Wav2Vec2Pretrained.Save(_model, Path.Combine(OutputDirectory, "model"), _featureExtractor);
        if (File.Exists(_metrics.Path))
            TrainingCurves.Save(_metrics.Path, Path.Combine(OutputDirectory, "curves.png"), TrainingCurves.PretrainingPanels);
        return state;
    }

    // One optimizer update over UpdateFrequency batches. Returns the metrics, whether the update was applied, and the audio seen.
    private (Dictionary<string, double> Metrics, bool Applied, double Seconds) TrainStep(IBatchStream stream, long updates)
    {
        using var scope = NewDisposeScope();
        _model.Quantizer.Temperature = _options.Temperature.At(updates);
        double lr = _lr.At(updates);
        foreach (var group in _optimizer.ParamGroups)
            group.LearningRate = lr;
        _optimizer.zero_grad();

        double loss = 0, contrastive = 0, diversity = 0, penalty = 0, perplexity = 0, codePerplexity = 0, seconds = 0;
        long masked = 0, correct = 0;
        bool finite = true;
        for (int micro = 0; micro < _options.UpdateFrequency; micro++)
        {
            var batch = stream.Next();
            seconds += batch.Seconds;
            using var output = Forward(batch);
            output.Loss.backward();
            double value = output.Loss.item<float>();
            finite &= double.IsFinite(value);
            loss += value;
            contrastive += output.ContrastiveLoss.item<float>();
            diversity += output.DiversityLoss.item<float>();
            penalty += output.FeaturePenalty.item<float>() * output.MaskedFrames;
            perplexity += output.Perplexity.item<float>() / _options.UpdateFrequency;
            codePerplexity += output.CodePerplexity.item<float>() / _options.UpdateFrequency;
            masked += output.MaskedFrames;
            correct += output.Correct;
        }

        // fairseq: gradients are divided by the number of masked frames in the whole update
        double gradNorm = double.NaN;
        if (finite && masked > 0)
        {
            using (no_grad())
            {
                foreach (var p in _model.parameters())
                    p.grad?.mul_(1.0 / masked);
            }
            gradNorm = nn.utils.clip_grad_norm_(_model.parameters(), _options.ClipNorm > 0 ? _options.ClipNorm : double.PositiveInfinity);
        }
        bool applied = finite && masked > 0 && double.IsFinite(gradNorm);
        if (applied)
            _optimizer.step();
        _optimizer.zero_grad();

        double bits = Math.Log(2) * Math.Max(1, masked);
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = loss / bits,
            ["contrastive_loss"] = contrastive / bits,
            ["diversity_loss"] = _options.Loss.DiversityWeight * diversity / bits,
            ["feature_penalty"] = _options.Loss.FeaturePenaltyWeight * penalty / bits,
            ["accuracy"] = masked > 0 ? (double)correct / masked : 0,
            ["prob_perplexity"] = perplexity,
            ["code_perplexity"] = codePerplexity,
            ["temperature"] = _model.Quantizer.Temperature,
            ["lr"] = lr,
            ["grad_norm"] = gradNorm,
            ["masked_frames"] = masked,
        };
        return (metrics, applied, seconds);
    }

    private PretrainingLossOutput Forward(AudioBatch batch)
    {
        using var precision = _options.Bf16 ? Modules.Autocast.Enable() : null;
        var input = tensor(batch.Samples).view(batch.Batch, batch.Length).to(_device);
        long frames = _model.Config.OutputLength(batch.Length);
        var mask = SpanMasker.Compute(batch.Batch, frames, null, _options.MaskProb, _options.MaskLength, _options.MinMasks);
        var negatives = NegativeSampler.Sample(mask, _options.NumNegatives);
        return _model.PretrainingLoss(input, null, mask.to(_device), negatives.to(_device), _options.Loss);
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

    private void Save(TrainerState state) =>
        _checkpoints.Save(_model, _model.Config, Wav2Vec2Pretrained.PreTrainingArchitecture, _optimizer, state, _featureExtractor);
}
