using System.Diagnostics;
using System.Text.Json;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Masking;
using Wav2Vec2Sharp.Models;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Bench;

/// <summary>
/// Where a pretraining step's time goes (mode pretrain-parts), each part the median over --repeats steps, one JSON line:
/// span masks and distractors; the CNN forward alone (no graph); the body forward (CNN with feature_grad_mult 0.1,
/// projection, Transformer); the Transformer alone on random CNN features; the contrastive logits and loss, forward and
/// backward, on random context and targets; then the real step: whole loss forward, its backward, the AdamW update.
/// </summary>
internal static class PretrainParts
{
    public static void Run(Wav2Vec2Config config, string arch, int batch, double seconds, int warmup, int repeats)
    {
        using var model = new Wav2Vec2ForPreTraining(config with { MaskTimeProb = 0.65 });
        model.train();
        var optimizer = new Wav2Vec2Sharp.Training.AdamW(model.parameters(), lr: 1e-4, beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.01);
        int samples = (int)Math.Round(seconds * 16000);
        using var input = randn(batch, samples);
        long frames = config.OutputLength(samples);
        var parts = new Dictionary<string, List<double>>();
        void Time(string name, Action action)
        {
            var clock = Stopwatch.StartNew();
            action();
            if (!parts.TryGetValue(name, out var list))
                parts[name] = list = [];
            list.Add(clock.Elapsed.TotalSeconds);
        }

        for (int i = 0; i < warmup + repeats; i++)
        {
            if (i == warmup)
                parts.Clear();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor mask = null!, negatives = null!;
            Time("masks_and_negatives", () =>
            {
                mask = SpanMasker.Compute(batch, frames, null, 0.65, 10, 2);
                negatives = NegativeSampler.Sample(mask, config.NumNegatives);
            });
            Time("cnn_forward_no_grad", () =>
            {
                using var noGrad = no_grad();
                using var features = model.Wav2Vec2.FeatureExtractor.call(input);
            });
            Time("body_forward", () =>
            {
                using var body = model.Wav2Vec2.Forward(input, null, mask, 0.1);
            });
            Time("encoder_forward_from_features", () =>
            {
                using var features = randn(batch, frames, config.ConvDim[^1]);
                using var body = model.Wav2Vec2.ForwardFeatures(features, null, mask);
            });
            Time("contrastive_logits", () =>
            {
                using var context = randn(batch, frames, config.ProjCodevectorDim, requires_grad: true);
                using var targets = randn(batch, frames, config.ProjCodevectorDim, requires_grad: true);
                using var logits = ContrastiveLoss.Logits(context, targets, negatives, 0.1);
                var (loss, _) = ContrastiveLoss.Sum(logits, mask);
                loss.backward();
            });
            PretrainingLossOutput output = null!;
            Time("loss_forward", () => output = model.PretrainingLoss(input, null, mask, negatives, new PretrainingLossOptions()));
            Time("backward", () => output.Loss.backward());
            Time("optimizer_step", () => optimizer.Step());
            output.Dispose();
        }
        double Median(List<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["impl"] = "Wav2Vec2Sharp",
            ["mode"] = "pretrain-parts",
            ["arch"] = arch,
            ["threads"] = get_num_threads(),
            ["seconds"] = seconds,
            ["batch"] = batch,
            ["frames"] = frames,
            ["num_negatives"] = config.NumNegatives,
            ["repeats"] = repeats,
            ["median_s"] = parts.ToDictionary(p => p.Key, p => Math.Round(Median(p.Value), 4)),
            ["loadavg"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : null,
        }));
    }
}
