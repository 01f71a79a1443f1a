using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;
using Wav2Vec2Sharp.Text;
using Wav2Vec2Sharp.Training;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Training;

/// <summary>On-the-fly augmentation (<c>--augment</c>) in pretraining and fine-tuning.</summary>
public sealed class AugmentedTrainingTests : IDisposable
{
    private const int Seed = 5;

    // Every effect but speed: the clip keeps its length, so a crop of the whole clip shows the whole augmented clip.
    private static readonly AugmentationRecipe SameLength = AugmentationRecipe.Parse("reverb,telephone,noise,babble,gain");

    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    // Speech-like clips of 1.0, 1.25, … s as 16-bit WAVs in a folder.
    private string WriteSpeech(string name, int count)
    {
        var folder = Path.Combine(_temp.Root, name);
        Directory.CreateDirectory(folder);
        for (int i = 0; i < count; i++)
        {
            var samples = SyntheticSpeech.Clip(16000 + 4000 * i, 200 + i);
            File.WriteAllBytes(Path.Combine(folder, $"clip{i}.wav"), new WavBuilder { Data = WavBuilder.Pcm16(samples) }.ToBytes());
        }
        return folder;
    }

    private static List<ManifestEntry> Entries(string folder) => AudioManifest.Open(folder).Entries.ToList();

    private static float[] Row(PretrainingBatch batch, int index) => batch.Row(batch.Indices.ToList().IndexOf(index)).ToArray();

    [Fact]
    public void A_clip_is_augmented_by_its_entry_and_epoch_alone_not_by_the_batch_step_or_loader()
    {
        var entries = Entries(WriteSpeech("clips", 4));
        int length = entries[1].NumSamples;
        var run1 = new PretrainingBatchLoader(entries, normalize: true, SameLength);
        var run2 = new PretrainingBatchLoader(entries, normalize: true, SameLength); // another run (or rank) reading the same data

        var alone = Row(run1.Load(new BatchPlan([1], length), Seed, step: 3, epoch: 2), 1);
        var elsewhere = Row(run2.Load(new BatchPlan([3, 2, 1], length), Seed, step: 11, epoch: 2), 1);
        var otherEpoch = Row(run1.Load(new BatchPlan([1], length), Seed, step: 3, epoch: 3), 1);
        var plain = Row(new PretrainingBatchLoader(entries, normalize: true).Load(new BatchPlan([1], length), Seed, step: 3), 1);

        Assert.Equal(alone, elsewhere); // bitwise
        Assert.NotEqual(alone, otherEpoch);
        Assert.NotEqual(alone, plain);
        Assert.All([alone, otherEpoch], row => Assert.InRange(row.Average(x => (double)x), -1e-4, 1e-4)); // normalised after augmenting
    }

    [Fact]
    public void An_empty_recipe_loads_exactly_what_a_loader_without_augmentation_loads()
    {
        var entries = Entries(WriteSpeech("clips", 4));
        var plan = new BatchPlan([2, 0], entries[0].NumSamples);

        var plain = new PretrainingBatchLoader(entries).Load(plan, Seed, step: 4);
        var none = new PretrainingBatchLoader(entries, normalize: false, AugmentationRecipe.Parse("none")).Load(plan, Seed, step: 4, epoch: 1);

        Assert.Equal(plain.Samples, none.Samples);
        Assert.Equal(plain.Offsets, none.Offsets);
    }

    [Fact]
    public void Speed_perturbation_below_the_crop_pads_with_silence_and_every_epoch_fills_the_batch()
    {
        var entries = Entries(WriteSpeech("clips", 2));
        var loader = new PretrainingBatchLoader(entries, normalize: false, AugmentationRecipe.Parse("speed"));
        int length = entries[0].NumSamples;
        var silentTails = new List<int>();

        for (int epoch = 0; epoch < 24; epoch++)
        {
            var row = Row(loader.Load(new BatchPlan([0], length), Seed, step: epoch, epoch), 0);
            silentTails.Add(length - (Array.FindLastIndex(row, x => x != 0) + 1));
        }

        // 1.0 and 0.9 fill the crop with speech; 1.1 leaves ceil(n / 1.1) samples of speech, then silence
        Assert.Contains(silentTails, n => n < 40);
        Assert.Contains(silentTails, n => Math.Abs(n - (length - length / 1.1)) < 40);
        Assert.All(silentTails, n => Assert.True(n < 40 || Math.Abs(n - (length - length / 1.1)) < 40, $"{n} silent samples"));
    }

    [Fact]
    public void A_rank_share_and_a_resumed_stream_see_the_batches_of_one_uninterrupted_stream()
    {
        var entries = Entries(WriteSpeech("clips", 6));
        var batcher = new PretrainingBatcher(entries, maxTokens: 64_000, maxSampleSize: 64_000, minSampleSize: 16_000, Seed);
        var loader = new PretrainingBatchLoader(entries, normalize: false, AugmentationRecipe.Parse("default"));
        int total = 3 * batcher.BatchesPerEpoch; // three epochs

        using var single = new ManifestBatchStream(batcher, loader, 0, 0);
        var all = Enumerable.Range(0, total).Select(_ => single.Next().Samples).ToList();
        // rank 1 of 2 skips rank 0's batches, with another loader (another process)
        using var rank1 = new ManifestBatchStream(batcher, new PretrainingBatchLoader(entries, normalize: false, AugmentationRecipe.Parse("default")), 0, 0);
        var odd = new List<float[]>();
        for (int i = 0; i < total; i++)
        {
            if (i % 2 == 1)
                odd.Add(rank1.Next().Samples);
            else
                rank1.Skip();
        }
        // a run resumed at epoch 1, batch 1
        using var resumed = new ManifestBatchStream(batcher, loader, 1, 1);
        var later = Enumerable.Range(0, total - batcher.BatchesPerEpoch - 1).Select(_ => resumed.Next().Samples).ToList();

        Assert.Equal(all.Where((_, i) => i % 2 == 1), odd);
        Assert.Equal(all.Skip(batcher.BatchesPerEpoch + 1), later);
    }

    private static PretrainingOptions PretrainingRecipe(long updates, AugmentationRecipe augmentation) => new()
    {
        Seed = Seed, MaxUpdates = updates, PeakLr = 2e-3, WarmupUpdates = 2, NumNegatives = 10, MaskLength = 5, MaxTokens = 64_000,
        MaxSampleSize = 64_000, MinSampleSize = 16_000, SaveEveryUpdates = 100, ValidateEveryUpdates = 1000, LogEveryUpdates = 1, KeepLast = 2,
        ClipNorm = 5, Normalize = true, Loss = new PretrainingLossOptions { FeatureGradMult = 0.1, FeaturePenaltyWeight = 10 },
        Augmentation = augmentation,
    };

    // Pretrains a fresh tiny model; stops (with a checkpoint) once `stopAt` updates are done, if given.
    private (TrainerState State, string Output) Pretrain(string data, string folder, long updates, AugmentationRecipe augmentation, bool resume = false,
        long? stopAt = null)
    {
        manual_seed(11);
        using var model = new Wav2Vec2ForPreTraining(TinyConfig.Create() with { MaskTimeProb = 0.65 });
        var output = Path.Combine(_temp.Root, folder);
        using var stop = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Updates == stopAt)
                stop.Cancel();
        });
        var state = PretrainingRun.Run(model, PretrainingRecipe(updates, augmentation), data, null, output, resume, progress, cancellation: stop.Token);
        return (state, output);
    }

    private static List<double> Losses(string output) => MetricsLog.Read(Path.Combine(output, "metrics.jsonl"))
        .Where(r => r["split"]!.GetValue<string>() == "train").Select(r => r["loss"]!.GetValue<double>()).ToList();

    private static void AssertSameWeights(string expected, string actual)
    {
        var a = SafetensorsFile.Read(expected);
        var b = SafetensorsFile.Read(actual);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.All(a, kv => Assert.True(kv.Value.allclose(b[kv.Key], 0, 0), kv.Key));
    }

    [Fact]
    public void Pretraining_with_augmentation_resumes_exactly_and_an_empty_recipe_changes_nothing()
    {
        var data = WriteSpeech("speech", 6);
        var everything = AugmentationRecipe.Parse("default");

        var (straight, straightOut) = Pretrain(data, "straight", 8, everything);
        var (stopped, _) = Pretrain(data, "resumed", 8, everything, stopAt: 3);
        var (resumed, resumedOut) = Pretrain(data, "resumed", 8, everything, resume: true);
        var (_, plainOut) = Pretrain(data, "plain", 8, AugmentationRecipe.None);
        var (_, noneOut) = Pretrain(data, "none", 8, AugmentationRecipe.Parse("none"));

        Assert.True(stopped.Stopped);
        Assert.InRange(stopped.Updates, 3, 4); // the stop is seen after the update in flight
        Assert.True(straight.Epoch >= 1, $"the run covers {straight.Epoch + 1} epochs"); // each epoch is augmented differently
        Assert.Equal(8, resumed.Updates);
        Assert.Equal(Losses(straightOut), Losses(resumedOut)); // bitwise
        AssertSameWeights(Path.Combine(straightOut, "model", "model.safetensors"), Path.Combine(resumedOut, "model", "model.safetensors"));
        Assert.NotEqual(Losses(plainOut), Losses(straightOut));
        Assert.Equal(Losses(plainOut), Losses(noneOut));
        AssertSameWeights(Path.Combine(plainOut, "model", "model.safetensors"), Path.Combine(noneOut, "model", "model.safetensors"));
        Assert.Contains("\"augmentation\": \"speed,reverb,telephone,noise,babble,gain (p = 0.5 each)\"",
            File.ReadAllText(Path.Combine(straightOut, PretrainingRun.OptionsFile)));
    }

    private static FineTuningOptions FineTuningRecipe(long updates, bool freezeCnn, AugmentationRecipe augmentation) => new()
    {
        Seed = 2, MaxUpdates = updates, PeakLr = 3e-3, FreezeBodyUpdates = 3, MaxTokens = 64_000, MaskTimeProb = 0.2, MaskTimeLength = 3,
        MaskChannelProb = 0.1, MaskChannelLength = 4, Layerdrop = 0, ClipNorm = 5, ValidateEveryUpdates = 10, SaveEveryUpdates = 5,
        LogEveryUpdates = 1, FreezeFeatureEncoder = freezeCnn, Augmentation = augmentation,
    };

    private (TrainerState State, string Output) FineTune(string folder, long updates, bool freezeCnn, AugmentationRecipe augmentation, bool resume = false,
        long? stopAt = null, bool keepRaw = true)
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 24, 1);
        var dev = ToneSpeech.WriteJsonl(_temp, "dev", 6, 2);
        var architecture = TinyConfig.Create();
        var featureExtractor = new FeatureExtractorConfig { DoNormalize = true };
        var (trainClips, devClips, report) = FineTuningRun.LoadData(train, dev, null, TextNormalizer.Default, featureExtractor, architecture, 3, keepRaw);
        var options = FineTuningRecipe(updates, freezeCnn, augmentation);
        manual_seed(7);
        using var model = FineTuningRun.CreateModel(null, architecture, report.Vocabulary, options);
        var output = Path.Combine(_temp.Root, folder);
        var tuner = new FineTuner(model, report.Vocabulary, options, output, featureExtractor);
        using var stop = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Updates == stopAt)
                stop.Cancel();
        });
        return (tuner.Run(trainClips, devClips, resume, progress, stop.Token), output);
    }

    private static string LastCheckpoint(string output, long updates) =>
        Path.Combine(output, "checkpoints", $"update_{updates:D7}", "model.safetensors");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fine_tuning_with_augmentation_resumes_exactly(bool freezeCnn)
    {
        var everything = AugmentationRecipe.Parse("default");

        var (_, straight) = FineTune("straight", 12, freezeCnn, everything);
        var (stopped, _) = FineTune("resumed", 12, freezeCnn, everything, stopAt: 5);
        var (state, resumed) = FineTune("resumed", 12, freezeCnn, everything, resume: true);

        Assert.True(stopped.Stopped);
        Assert.True(state.Epoch >= 1, $"the run covers {state.Epoch + 1} epochs");
        Assert.Equal(12, state.Updates);
        Assert.Equal(Losses(straight), Losses(resumed)); // bitwise
        AssertSameWeights(LastCheckpoint(straight, 12), LastCheckpoint(resumed, 12));
    }

    [Fact]
    public void Fine_tuning_with_an_empty_recipe_is_bit_identical_to_fine_tuning_without_augmentation()
    {
        var (_, plain) = FineTune("plain", 6, freezeCnn: true, AugmentationRecipe.None, keepRaw: false);
        var (_, none) = FineTune("none", 6, freezeCnn: true, AugmentationRecipe.Parse("none"), keepRaw: false);
        var (_, augmented) = FineTune("augmented", 6, freezeCnn: true, AugmentationRecipe.Parse("default"));

        Assert.Equal(Losses(plain), Losses(none));
        AssertSameWeights(LastCheckpoint(plain, 6), LastCheckpoint(none, 6));
        Assert.NotEqual(Losses(plain), Losses(augmented));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fine_tuning_with_augmentation_still_learns(bool freezeCnn)
    {
        var (_, output) = FineTune("run", 40, freezeCnn, AugmentationRecipe.Parse("default"));

        // measured: the last 5 losses average 0.21 of the first 5 (0.20 to 0.21 without augmentation)
        var losses = Losses(output);
        Assert.True(losses.TakeLast(5).Average() < 0.4 * losses.Take(5).Average(), $"{losses.Take(5).Average():F2} -> {losses.TakeLast(5).Average():F2}");
        Assert.Contains("\"augmentation\": \"speed,reverb,telephone,noise,babble,gain (p = 0.5 each)\"",
            File.ReadAllText(Path.Combine(output, FineTuningRun.OptionsFile)));
    }

    [Fact]
    public void Augmenting_normalised_clips_without_their_raw_audio_is_refused_before_training()
    {
        var e = Assert.Throws<Wav2Vec2SharpException>(() => FineTune("refused", 2, freezeCnn: true, AugmentationRecipe.Parse("noise"), keepRaw: false));

        Assert.Contains("augmentation works on raw audio", e.Message);
        Assert.False(File.Exists(Path.Combine(_temp.Root, "refused", "metrics.jsonl")));
    }
}
