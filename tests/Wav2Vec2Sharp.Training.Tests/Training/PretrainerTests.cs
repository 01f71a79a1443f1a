using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;
using Wav2Vec2Sharp.Training;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Training;

public sealed class PretrainerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Wav2Vec2Config Tiny => TinyConfig.Create() with { MaskTimeProb = 0.65 };

    private static PretrainingOptions Options(long updates) => new()
    {
        Seed = 3, MaxUpdates = updates, PeakLr = 2e-3, WarmupUpdates = 2, NumNegatives = 10, MaskLength = 5,
        SaveEveryUpdates = 3, ValidateEveryUpdates = 1000, LogEveryUpdates = 1, KeepLast = 2, ClipNorm = 5,
        Loss = new PretrainingLossOptions { FeatureGradMult = 0.1, FeaturePenaltyWeight = 10 },
    };

    private static readonly AudioBatch[] Data = [SyntheticBatches.Batch(2, 8000, 1), SyntheticBatches.Batch(2, 8000, 2), SyntheticBatches.Batch(2, 8000, 3)];

    private static List<double> Losses(string metricsPath) =>
        MetricsLog.Read(metricsPath).Where(r => r["split"]!.GetValue<string>() == "train").Select(r => r["loss"]!.GetValue<double>()).ToList();

    private (TrainerState State, string Metrics) Train(string folder, long updates, bool resume, IReadOnlyList<AudioBatch>? data = null)
    {
        manual_seed(11);
        using var model = new Wav2Vec2ForPreTraining(Tiny);
        var trainer = new Pretrainer(model, Options(updates), Path.Combine(_temp.Root, folder));
        var state = trainer.Run((epoch, position) => new MemoryBatchStream(data ?? Data, epoch, position), [], resume);
        return (state, trainer.MetricsPath);
    }

    [Fact]
    public void Loss_falls_on_a_small_speech_like_set()
    {
        var (state, metrics) = Train("fall", 24, resume: false);

        var losses = Losses(metrics);
        Assert.Equal(24, state.Updates);
        Assert.True(losses.TakeLast(6).Average() < losses.Take(6).Average() - 0.2,
            $"loss went from {losses.Take(6).Average():F3} to {losses.TakeLast(6).Average():F3} bits");
        Assert.True(File.Exists(Path.Combine(_temp.Root, "fall", "model", "model.safetensors")));
    }

    [Fact]
    public void An_interrupted_run_resumes_on_the_same_curve()
    {
        var (_, uninterrupted) = Train("straight", 7, resume: false);
        Train("resumed", 3, resume: false);           // stops after the checkpoint at update 3
        var (state, resumed) = Train("resumed", 7, resume: true);

        Assert.Equal(7, state.Updates);
        Assert.Equal(Losses(uninterrupted), Losses(resumed)); // bitwise: same data, masks, noise and optimizer state
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(_temp.Root, "resumed", "checkpoints"), "update_*").Length);
    }

    [Fact]
    public void A_batch_with_non_finite_samples_is_skipped_and_counted()
    {
        var poisoned = SyntheticBatches.Batch(2, 8000, 9);
        poisoned.Samples[100] = float.NaN;

        var (state, metrics) = Train("nan", 4, resume: false, data: [Data[0], poisoned, Data[1]]);

        // batches served: D0 ✓, poisoned ✗, D1 ✓ | D0 ✓, poisoned ✗, D1 ✓  → 4 updates, 2 skipped
        Assert.Equal(4, state.Updates);
        Assert.Equal(2, state.SkippedSteps);
        Assert.All(Losses(metrics), l => Assert.True(double.IsFinite(l)));
    }
}
