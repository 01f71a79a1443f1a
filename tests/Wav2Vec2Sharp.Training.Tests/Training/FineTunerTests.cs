using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;
using Wav2Vec2Sharp.Text;
using Wav2Vec2Sharp.Training;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Training;

public sealed class FineTunerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static FineTuningOptions Options(long updates, bool freezeCnn = false) => new()
    {
        Seed = 2, MaxUpdates = updates, PeakLr = 3e-3, FreezeBodyUpdates = 3, MaxTokens = 64_000, MaskTimeProb = 0.2, MaskTimeLength = 3,
        MaskChannelProb = 0.1, MaskChannelLength = 4, Layerdrop = 0, ClipNorm = 5, ValidateEveryUpdates = 10, SaveEveryUpdates = 5,
        LogEveryUpdates = 1, FreezeFeatureEncoder = freezeCnn,
    };

    private (TrainerState State, string Output) Train(string folder, long updates, bool resume, bool freezeCnn = false)
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 24, 1);
        var dev = ToneSpeech.WriteJsonl(_temp, "dev", 6, 2);
        var architecture = TinyConfig.Create();
        var (trainClips, devClips, report) = FineTuningRun.LoadData(train, dev, null, TextNormalizer.Default,
            new FeatureExtractorConfig { DoNormalize = true }, architecture, 3);
        manual_seed(7);
        using var model = FineTuningRun.CreateModel(null, architecture, report.Vocabulary, Options(updates, freezeCnn));
        var output = Path.Combine(_temp.Root, folder);
        var tuner = new FineTuner(model, report.Vocabulary, Options(updates, freezeCnn), output, new FeatureExtractorConfig { DoNormalize = true });
        return (tuner.Run(trainClips, devClips, resume), output);
    }

    private static List<double> Losses(string output) => MetricsLog.Read(Path.Combine(output, "metrics.jsonl"))
        .Where(r => r["split"]!.GetValue<string>() == "train").Select(r => r["loss"]!.GetValue<double>()).ToList();

    [Fact]
    public void Ctc_loss_falls_and_the_best_model_is_exported_with_its_vocabulary()
    {
        var (state, output) = Train("run", 40, resume: false);

        var losses = Losses(output);
        Assert.True(losses.TakeLast(5).Average() < 0.6 * losses.Take(5).Average(), $"{losses.Take(5).Average():F2} -> {losses.TakeLast(5).Average():F2}");
        Assert.NotNull(state.BestValidLoss);
        Assert.True(File.Exists(Path.Combine(output, "model", "vocab.json")));
        Assert.True(File.Exists(Path.Combine(output, "model", "tokenizer_config.json")));
        Assert.False(File.Exists(Path.Combine(output, "curves.png"))); // the library draws nothing; w2v draws the curves
        using var transcriber = Wav2Vec2Sharp.Inference.Transcriber.Load(Path.Combine(output, "model"));
        Assert.Equal(10, transcriber.Vocabulary.Count); // <pad> <s> </s> <unk> | and the five letters
        Assert.All(ToneSpeech.Letters, c => Assert.True(transcriber.Vocabulary.TryGetId(c.ToString(), out _)));
    }

    [Fact]
    public void With_a_frozen_feature_encoder_the_loss_falls_and_the_encoder_is_unchanged()
    {
        var (_, output) = Train("frozen", 30, resume: false, freezeCnn: true);

        var losses = Losses(output);
        Assert.True(losses.TakeLast(5).Average() < 0.8 * losses.Take(5).Average(), $"{losses.Take(5).Average():F2} -> {losses.TakeLast(5).Average():F2}");
        manual_seed(7);
        using var initial = FineTuningRun.CreateModel(null, TinyConfig.Create(), Wav2Vec2Sharp.Decoding.Vocabulary.Load(Path.Combine(output, "model", "vocab.json")), Options(30, true));
        using var trained = Wav2Vec2Sharp.Models.Wav2Vec2Pretrained.LoadForCtc(Path.Combine(output, "model"));
        var before = initial.Wav2Vec2.FeatureExtractor.state_dict();
        var after = trained.Wav2Vec2.FeatureExtractor.state_dict();
        Assert.All(before, kv => Assert.True(kv.Value.eq(after[kv.Key]).all().item<bool>(), kv.Key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_run_resumed_after_a_crash_continues_the_same_curve(bool freezeCnn)
    {
        var (_, straight) = Train("straight", 12, resume: false, freezeCnn);
        var (_, crashed) = Train("crashed", 12, resume: false, freezeCnn);
        // emulate a crash right after the checkpoint at update 5
        foreach (var later in Directory.GetDirectories(Path.Combine(crashed, "checkpoints"), "update_*").Where(d => !d.EndsWith("0000005", StringComparison.Ordinal)))
            Directory.Delete(later, recursive: true);
        File.WriteAllText(Path.Combine(crashed, "checkpoints", "latest.json"), "{\"checkpoint\":\"update_0000005\",\"updates\":5}");

        var (state, resumed) = Train("crashed", 12, resume: true, freezeCnn);

        Assert.Equal(12, state.Updates);
        Assert.Equal(Losses(straight), Losses(resumed));
    }

    [Fact]
    public void Loading_the_data_stops_when_cancelled_having_read_what_it_was_told_of()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 6, 1);
        using var cancel = new CancellationTokenSource();
        long reported = 0;
        var progress = new Wav2Vec2Sharp.SynchronousProgress<Wav2Vec2Sharp.CountProgress>(p =>
        {
            reported = p.Done;
            if (p.Done == 2)
                cancel.Cancel();
        });

        Assert.Throws<OperationCanceledException>(() => FineTuningRun.LoadData([train], null, null, TextNormalizer.Default,
            new FeatureExtractorConfig(), TinyConfig.Create(), 3, keepRawTrainingAudio: false, progress, cancel.Token));
        Assert.Equal(2L, reported);
    }

    [Fact]
    public void The_final_model_is_the_best_validation_also_when_no_regular_save_falls_on_it()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 24, 1);
        var dev = ToneSpeech.WriteJsonl(_temp, "dev", 6, 2);
        var architecture = TinyConfig.Create();
        var (trainClips, devClips, report) = FineTuningRun.LoadData(train, dev, null, TextNormalizer.Default,
            new FeatureExtractorConfig { DoNormalize = true }, architecture, 3);
        var options = Options(9) with { ValidateEveryUpdates = 2, SaveEveryUpdates = 7 };
        manual_seed(7);
        using var model = FineTuningRun.CreateModel(null, architecture, report.Vocabulary, options);
        var output = Path.Combine(_temp.Root, "sparse-saves");

        var state = new FineTuner(model, report.Vocabulary, options, output, new FeatureExtractorConfig { DoNormalize = true }).Run(trainClips, devClips, resume: false);

        var best = Path.Combine(output, "checkpoints", $"update_{state.BestUpdate:D7}");
        Assert.True(Directory.Exists(best), $"no checkpoint at the best update {state.BestUpdate}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(best, "model.safetensors")), File.ReadAllBytes(Path.Combine(output, "model", "model.safetensors")));
    }
}
