using Wav2Vec2Sharp.Cli;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Tests.Cli;

public sealed class PretrainCommandTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _audio;
    private readonly string _config;

    public PretrainCommandTests()
    {
        _audio = Path.Combine(_temp.Root, "audio");
        Directory.CreateDirectory(Path.Combine(_audio, "nested"));
        for (int i = 0; i < 6; i++)
        {
            var samples = SyntheticSpeech.Clip(16000 + 4000 * i, 100 + i);
            File.WriteAllBytes(Path.Combine(_audio, i % 2 == 0 ? "" : "nested", $"clip{i}.wav"), new WavBuilder { Data = WavBuilder.Pcm16(samples) }.ToBytes());
        }
        File.WriteAllText(Path.Combine(_audio, "broken.wav"), "RIFF not really");
        _config = Path.Combine(_temp.Root, "tiny.json");
        File.WriteAllText(_config, Wav2Vec2Sharp.Configuration.ConfigJson.ToJson(TinyConfig.Create() with { MaskTimeProb = 0.65 }));
    }

    public void Dispose() => _temp.Dispose();

    private (int Code, string Output, string Error) Pretrain(string outDir, int updates, params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["pretrain", "--data", _audio, "--out", Path.Combine(_temp.Root, outDir), "--config", _config,
            "--max-updates", updates.ToString(), "--save-every", "2", "--max-tokens", "64000", "--warmup", "2", .. extra];
        return (CliApp.Run(args, output, error), output.ToString(), error.ToString());
    }

    private Dictionary<long, double> Losses(string outDir) => MetricsLog.Read(Path.Combine(_temp.Root, outDir, "metrics.jsonl"))
        .Where(r => r["split"]!.GetValue<string>() == "train").ToDictionary(r => r["update"]!.GetValue<long>(), r => r["loss"]!.GetValue<double>());

    [Fact]
    public void Runs_with_the_same_seed_are_identical_and_a_resumed_run_continues_the_same_curve()
    {
        var (code, output, error) = Pretrain("a", 6);
        Pretrain("b", 6);
        // Emulate a crash right after the checkpoint at update 4: the later checkpoint and the final model never happened.
        var checkpoints = Path.Combine(_temp.Root, "b", "checkpoints");
        Directory.Delete(Path.Combine(checkpoints, "update_0000006"), recursive: true);
        Directory.Delete(Path.Combine(_temp.Root, "b", "model"), recursive: true);
        File.WriteAllText(Path.Combine(checkpoints, "latest.json"), "{\"checkpoint\":\"update_0000004\",\"updates\":4}");
        var (resumedCode, _, _) = Pretrain("b", 6, "--resume");

        Assert.Equal(0, code);
        Assert.Equal(0, resumedCode);
        Assert.Contains("done: 6 updates", output);
        Assert.Contains($"skipped: {Path.Combine(_audio, "broken.wav")}:", error);
        Assert.Equal([5L, 6L], Losses("a").Keys); // the small recipe logs every 5 updates, and the last
        Assert.Equal(Losses("a"), Losses("b"));
        Assert.True(File.Exists(Path.Combine(_temp.Root, "a", "model", "config.json")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public void The_feature_grad_mult_option_freezes_or_trains_the_feature_encoder(string featureGradMult)
    {
        var start = Path.Combine(_temp.Root, "start");
        using (var model = new Wav2Vec2Sharp.Models.Wav2Vec2ForPreTraining(TinyConfig.Create() with { MaskTimeProb = 0.65 }))
            Wav2Vec2Sharp.Models.Wav2Vec2Pretrained.Save(model, start);

        var (code, _, error) = Pretrain("g" + featureGradMult, 3, "--init-from", start, "--feature-grad-mult", featureGradMult, "--lr", "1e-2");

        Assert.True(code == 0, error);
        const string cnn = "wav2vec2.feature_extractor.conv_layers.0.conv.weight", attention = "wav2vec2.encoder.layers.0.attention.q_proj.weight";
        var before = Wav2Vec2Sharp.Checkpoints.SafetensorsFile.Read(Path.Combine(start, "model.safetensors"));
        var after = Wav2Vec2Sharp.Checkpoints.SafetensorsFile.Read(Path.Combine(_temp.Root, "g" + featureGradMult, "model", "model.safetensors"));
        Assert.Equal(featureGradMult == "0", before[cnn].allclose(after[cnn], 0, 0));
        Assert.False(before[attention].allclose(after[attention], 0, 0));
    }

    [Fact]
    public void A_feature_grad_mult_outside_zero_to_one_is_refused()
    {
        var (code, _, error) = Pretrain("bad", 1, "--feature-grad-mult", "2");

        Assert.Equal(1, code);
        Assert.Equal("error: --feature-grad-mult must be between 0 and 1, not 2." + Environment.NewLine, error);
    }

    [Theory]
    [InlineData("--mask-prob", "0", "error: --mask-prob must be above 0 and at most 1, not 0.")]
    [InlineData("--mask-prob", "1.5", "error: --mask-prob must be above 0 and at most 1, not 1.5.")]
    [InlineData("--mask-length", "0", "error: --mask-length must be at least 1 frame, not 0.")]
    [InlineData("--num-negatives", "0", "error: --num-negatives must be at least 1, not 0.")]
    [InlineData("--max-sample-size", "8000", "error: --max-sample-size must be at least the shortest clip used (16000 samples), not 8000.")]
    [InlineData("--validate-every", "0", "error: --save-every, --validate-every and the log interval must be at least 1 update, not 2, 0 and 5.")]
    [InlineData("--clip-norm", "-2", "error: --clip-norm must be 0 (off) or a positive number, not -2.")]
    public void Settings_that_leave_no_contrastive_task_or_no_schedule_are_refused(string option, string value, string message)
    {
        var (code, _, error) = Pretrain("bad" + option, 1, option, value);

        Assert.Equal(1, code);
        Assert.Equal(message + Environment.NewLine, error);
        Assert.False(Directory.Exists(Path.Combine(_temp.Root, "bad" + option)));
    }

    [Theory]
    [InlineData("--save-every", "0", "error: --save-every, --validate-every and the log interval must be at least 1 update, not 0, 250 and 5.")]
    [InlineData("--warmup", "-1", "error: --warmup cannot be negative, not -1.")]
    public void A_schedule_the_trainer_cannot_run_is_refused_before_training(string option, string value, string message)
    {
        var error = new StringWriter();
        string outDir = Path.Combine(_temp.Root, "schedule" + option);

        int code = CliApp.Run(["pretrain", "--data", _audio, "--out", outDir, "--config", _config, option, value], new StringWriter(), error);

        Assert.Equal(1, code);
        Assert.Equal(message + Environment.NewLine, error.ToString());
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_batch_too_small_for_a_clip_is_one_line_without_developer_details()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["pretrain", "--data", _audio, "--out", Path.Combine(_temp.Root, "tight"), "--config", _config,
            "--max-updates", "1", "--max-tokens", "20000"];

        int code = CliApp.Run(args, output, error);

        Assert.Equal(1, code);
        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines[..^1], line => Assert.StartsWith("skipped: ", line)); // the fixture's broken.wav
        Assert.StartsWith("error: a batch of at most 20000 samples (--max-tokens) cannot hold ", lines[^1]);
        Assert.EndsWith("raise --max-tokens or lower --max-sample-size.", lines[^1]);
        Assert.DoesNotContain("Parameter", lines[^1]);
        Assert.False(Directory.Exists(Path.Combine(_temp.Root, "tight")));
    }

    [Fact]
    public void Masking_distractor_and_crop_settings_reach_the_recipe()
    {
        var (code, _, error) = Pretrain("masking", 1, "--mask-prob", "0.3", "--mask-length", "4", "--num-negatives", "7", "--max-sample-size", "20000");

        Assert.True(code == 0, error);
        var recipe = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Root, "masking", PretrainingRun.OptionsFile)))!;
        Assert.Equal(0.3, recipe["mask_prob"]!.GetValue<double>());
        Assert.Equal(4, recipe["mask_length"]!.GetValue<int>());
        Assert.Equal(7, recipe["num_negatives"]!.GetValue<int>());
        Assert.Equal(20000, recipe["max_sample_size"]!.GetValue<int>());
    }

    [Fact]
    public void A_malformed_manifest_is_reported_with_its_line()
    {
        var manifest = Path.Combine(_temp.Root, "train.tsv");
        File.WriteAllText(manifest, $"{_audio}\nclip0.wav\t16000\nclip2.wav 24000\n");
        var error = new StringWriter();

        int code = CliApp.Run(["pretrain", "--data", manifest, "--out", Path.Combine(_temp.Root, "m"), "--config", _config], new StringWriter(), error);

        Assert.Equal(1, code);
        Assert.Equal($"error: {manifest}:3: expected 'relative/path<TAB>num_samples', found no tab.{Environment.NewLine}", error.ToString());
    }

    [Theory]
    [InlineData("gpu", "error: device 'gpu': give cpu, cuda or cuda:N.")]
    [InlineData("cuda:x", "error: device 'cuda:x': give cpu, cuda or cuda:N.")]
    public void A_device_name_that_is_not_cpu_or_cuda_is_refused_before_any_output(string device, string message)
    {
        var (code, _, error) = Pretrain("dev", 1, "--device", device);

        Assert.Equal(1, code);
        Assert.Equal(message + Environment.NewLine, error);
        Assert.False(Directory.Exists(Path.Combine(_temp.Root, "dev")));
    }

    [Fact]
    public void Cuda_trains_on_a_gpu_build_of_libtorch_and_is_refused_in_one_sentence_on_the_cpu_build()
    {
        bool gpu = TorchSharp.torch.cuda.is_available();

        var (code, output, error) = Pretrain("cuda", 2, "--device", "cuda");

        if (gpu)
        {
            Assert.True(code == 0, error);
            Assert.Contains("done: 2 updates", output);
        }
        else
        {
            Assert.Equal(1, code);
            Assert.Equal("error: device 'cuda': CUDA is not available here (no GPU, or libtorch was loaded without CUDA: " +
                "the libtorch-cpu package cannot use a GPU)." + Environment.NewLine, error);
            Assert.False(Directory.Exists(Path.Combine(_temp.Root, "cuda")));
        }
    }

    [Fact]
    public void An_unknown_preset_is_refused_before_any_output_and_xls_r_takes_the_large_recipe()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(["pretrain", "--data", _audio, "--out", Path.Combine(_temp.Root, "typo"), "--preset", "smal"], output, error);

        Assert.Equal(1, code);
        Assert.Equal("error: unknown preset \"smal\" (use small, base, large or xls-r-300m)." + Environment.NewLine, error.ToString());
        Assert.False(Directory.Exists(Path.Combine(_temp.Root, "typo")));
        Assert.Equal(PretrainingOptions.Large, PretrainingOptions.ForPreset("xls-r-300m"));
        Assert.Equal(PretrainingOptions.Small, PretrainingOptions.ForPreset("Small"));
    }

    [Fact]
    public void Pretrain_augments_the_training_audio_and_records_the_recipe_in_its_start_line_and_options()
    {
        var (code, output, error) = Pretrain("augmented", 2, "--augment", "default");

        Assert.True(code == 0, error);
        Assert.Contains("; augmentation: speed,reverb,telephone,noise,babble,gain (p = 0.5 each)", output);
        Assert.Contains("done: 2 updates", output);
        var recipe = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Root, "augmented", PretrainingRun.OptionsFile)))!;
        Assert.Equal("speed,reverb,telephone,noise,babble,gain (p = 0.5 each)", recipe["augmentation"]!.GetValue<string>());
    }

    [Fact]
    public void The_help_of_augment_names_every_effect()
    {
        var output = new StringWriter();

        int code = CliApp.Run(["pretrain", "--help"], output, new StringWriter());

        Assert.Equal(0, code);
        var help = output.ToString();
        Assert.Contains("--augment <RECIPE>", help);
        Assert.All(new[] { "speed", "reverb", "telephone", "noise", "babble", "gain", "'default'", "'none'" }, name => Assert.Contains(name, help));
    }

    [Fact]
    public void A_new_run_into_a_folder_with_checkpoints_is_refused_and_resume_without_checkpoints_starts_one()
    {
        var (firstCode, _, _) = Pretrain("run", 2);
        var metrics = File.ReadAllText(Path.Combine(_temp.Root, "run", "metrics.jsonl"));

        var (code, output, error) = Pretrain("run", 2);
        var (freshCode, freshOutput, _) = Pretrain("fresh", 2, "--resume");

        Assert.Equal(0, firstCode);
        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"error: {Path.Combine(_temp.Root, "run")} holds a training run (latest checkpoint: update_0000002): continue it with --resume, or give another --out.{Environment.NewLine}", error);
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(_temp.Root, "run", "metrics.jsonl")));
        Assert.Equal(0, freshCode);
        Assert.StartsWith($"no checkpoint in {Path.Combine(_temp.Root, "fresh")} to resume from: starting a new run{Environment.NewLine}", freshOutput);
        Assert.Contains("done: 2 updates", freshOutput);
    }

    [Fact]
    public void Resuming_with_another_number_of_batches_per_update_warns_that_the_global_batch_changes()
    {
        Pretrain("accumulated", 2, "--update-freq", "2");

        var (sameCode, _, sameError) = Pretrain("accumulated", 4, "--resume", "--update-freq", "2");
        var (code, _, error) = Pretrain("accumulated", 6, "--resume");

        Assert.Equal((0, 0), (sameCode, code));
        Assert.DoesNotContain("warning", sameError);
        Assert.Contains("warning: the run's updates took 2 batches (ranks × --update-freq) and this job's take 1 (1 × 1): " +
                        "the global batch changes; --update-freq 2 keeps it." + Environment.NewLine, error);
    }
}
