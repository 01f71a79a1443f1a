using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Cli;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

public sealed class FinetuneCommandTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    // A tiny pretrained model (TinyConfig unless given) in the temporary folder's pretrained/.
    private string SavePretrained(Wav2Vec2Sharp.Configuration.Wav2Vec2Config? config = null)
    {
        var pretrained = Path.Combine(_temp.Root, "pretrained");
        using var body = new Wav2Vec2Sharp.Models.Wav2Vec2ForPreTraining(config ?? TinyConfig.Create());
        Wav2Vec2Sharp.Models.Wav2Vec2Pretrained.Save(body, pretrained);
        return pretrained;
    }

    [Fact]
    public void Finetune_reports_bad_rows_by_line_and_evaluate_scores_the_result()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 12, 3);
        File.AppendAllText(train, "{\"audio_filepath\": \"train/missing.wav\", \"text\": \"abc\"}\n{\"audio_filepath\": \"train/000.wav\", \"text\": \"  \"}\n");
        var dev = ToneSpeech.WriteJsonl(_temp, "dev", 4, 4);
        var config = Path.Combine(_temp.Root, "tiny.json");
        File.WriteAllText(config, Wav2Vec2Sharp.Configuration.ConfigJson.ToJson(TinyConfig.Create()));
        var pretrained = SavePretrained(TinyConfig.Create() with { MaskTimeProb = 0.65 });
        var outDir = Path.Combine(_temp.Root, "ft");

        var (code, output, error) = Run("finetune", "--data", train, "--dev", dev, "--init-from", pretrained, "--out", outDir,
            "--max-updates", "4", "--freeze-updates", "2", "--validate-every", "2", "--max-tokens", "64000");

        Assert.Equal(0, code);
        Assert.Contains($"skipped: {train}:13: ", error);
        Assert.Contains($"skipped: {train}:14: ", error);
        Assert.Contains("train: 12 utterances", output);
        Assert.Contains("done: 4 updates, best dev CER", output);
        Assert.True(File.Exists(Path.Combine(outDir, "curves.png")));

        var report = Path.Combine(_temp.Root, "report");
        var (evalCode, evalOutput, _) = Run("evaluate", "--model", Path.Combine(outDir, "model"), "--data", dev, "--out", report);

        Assert.Equal(0, evalCode);
        Assert.StartsWith("WER ", evalOutput);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "summary.json")))!;
        Assert.Equal(4, summary["utterances"]!.GetValue<int>());
        Assert.Equal(4, File.ReadAllLines(Path.Combine(report, "utterances.jsonl")).Length);
    }

    [Fact]
    public void Runs_that_share_an_init_seed_start_from_the_same_head_whatever_their_seed()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 6, 3);
        var pretrained = SavePretrained();
        TorchSharp.torch.Tensor Head(string name, params string[] seeds)
        {
            var outDir = Path.Combine(_temp.Root, name);
            // one update at a negligible learning rate: the checkpoint holds the initial head
            var (code, _, error) = Run(["finetune", "--data", train, "--init-from", pretrained, "--out", outDir, "--max-updates", "1", "--lr", "1e-12", .. seeds]);
            Assert.True(code == 0, error);
            return Wav2Vec2Sharp.Checkpoints.ModelDirectory.ReadWeights(Path.Combine(outDir, "checkpoints", "update_0000001")).Tensors["lm_head.weight"];
        }

        using var first = Head("a", "--seed", "1", "--init-seed", "5");
        using var shared = Head("b", "--seed", "2", "--init-seed", "5");
        using var own = Head("c", "--seed", "2");

        Assert.True((first - shared).abs().max().item<float>() < 1e-6f);
        Assert.True((first - own).abs().max().item<float>() > 1e-3f);
        Assert.Equal(5, JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Root, "b", "finetuning_options.json")))!["init_seed"]!.GetValue<int>());
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Root, "c", "finetuning_options.json")))!["init_seed"]);
    }

    [Fact]
    public void An_unusable_device_is_refused_before_the_data_is_read()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 2, 3);
        var outDir = Path.Combine(_temp.Root, "ft");

        var (code, _, error) = Run("finetune", "--data", train, "--from-scratch", "small", "--out", outDir, "--device", "tpu");

        Assert.Equal(1, code);
        Assert.Equal("error: device 'tpu': give cpu, cuda or cuda:N." + Environment.NewLine, error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Several_training_manifests_train_together_and_each_names_its_own_bad_rows()
    {
        var labelled = ToneSpeech.WriteJsonl(_temp, "labelled", 5, 3);
        var pseudo = ToneSpeech.WriteJsonl(_temp, "pseudo", 3, 4);
        File.AppendAllText(pseudo, "{\"audio_filepath\": \"pseudo/missing.wav\", \"text\": \"abc\"}\n");
        var outDir = Path.Combine(_temp.Root, "ft");

        var (code, output, error) = Run("finetune", "--data", labelled, "--data", pseudo, "--from-scratch", "small", "--out", outDir,
            "--max-updates", "1", "--max-tokens", "64000");

        Assert.Equal(0, code);
        Assert.Contains("train: 8 utterances", output);
        Assert.Contains($"skipped: {pseudo}:4: audio file not found", error);
        Assert.DoesNotContain($"skipped: {labelled}", error);
    }

    [Fact]
    public void A_training_manifest_without_a_usable_row_names_one_of_its_bad_rows()
    {
        var train = Path.Combine(_temp.Root, "bad.jsonl");
        var corrupt = Path.Combine(_temp.Root, "corrupt.wav");
        File.WriteAllText(corrupt, "RIFF not really");
        File.WriteAllText(train, "{\"audio_filepath\": \"corrupt.wav\", \"text\": \"abc\"}\n{\"audio_filepath\": \"missing.wav\", \"text\": \"abc\"}\n");
        var outDir = Path.Combine(_temp.Root, "ft");

        var (code, _, error) = Run("finetune", "--data", train, "--from-scratch", "small", "--out", outDir, "--max-updates", "1");

        Assert.Equal(1, code);
        Assert.Equal($"error: {train}: no usable training utterance (2 bad rows, 0 too short; for example {train}:2: audio file not found: " +
            $"{Path.Combine(_temp.Root, "missing.wav")}).{Environment.NewLine}", error);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_feature_encoder_of_a_pretrained_model_learns_only_when_asked(bool trainFeatureEncoder)
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 6, 3);
        var pretrained = SavePretrained(TinyConfig.Create() with { MaskTimeProb = 0.65 });
        var outDir = Path.Combine(_temp.Root, "ft");
        string[] args = ["finetune", "--data", train, "--init-from", pretrained, "--out", outDir, "--max-updates", "3", "--freeze-updates", "0",
            "--lr", "1e-2", "--max-tokens", "64000"];

        var (code, _, error) = Run(trainFeatureEncoder ? [.. args, "--train-feature-encoder"] : args);

        Assert.True(code == 0, error);
        const string cnn = "wav2vec2.feature_extractor.conv_layers.0.conv.weight", attention = "wav2vec2.encoder.layers.0.attention.q_proj.weight";
        var before = Wav2Vec2Sharp.Checkpoints.SafetensorsFile.Read(Path.Combine(pretrained, "model.safetensors"));
        var after = Wav2Vec2Sharp.Checkpoints.SafetensorsFile.Read(Path.Combine(outDir, "model", "model.safetensors"));
        Assert.Equal(!trainFeatureEncoder, before[cnn].allclose(after[cnn], 0, 0));
        Assert.False(before[attention].allclose(after[attention], 0, 0));
    }

    [Fact]
    public void Finetune_needs_a_starting_point()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 2, 3);

        var (code, _, error) = Run("finetune", "--data", train, "--out", Path.Combine(_temp.Root, "x"));

        Assert.Equal(1, code);
        Assert.Equal("error: give exactly one of --init-from DIR (fine-tune a pretrained model) or --from-scratch PRESET." + Environment.NewLine, error);
    }

    [Fact]
    public void Reinitialising_more_layers_than_the_pretrained_model_has_is_refused_before_any_output()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 4, 3);
        var pretrained = SavePretrained();
        var outDir = Path.Combine(_temp.Root, "ft");

        var (code, _, error) = Run("finetune", "--data", train, "--init-from", pretrained, "--out", outDir, "--reinit-layers", "3");

        Assert.Equal(1, code);
        Assert.Equal($"error: --reinit-layers 3: {pretrained} has 2 Transformer layers (give 0 to 2)." + Environment.NewLine, error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Reinitialising_layers_of_a_model_from_scratch_is_refused()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 4, 3);

        var (code, _, error) = Run("finetune", "--data", train, "--from-scratch", "small", "--out", Path.Combine(_temp.Root, "x"), "--reinit-layers", "1");

        Assert.Equal(1, code);
        Assert.Equal("error: --reinit-layers needs --init-from: a model from scratch has no pretrained layers." + Environment.NewLine, error);
    }

    [Theory]
    [InlineData("--mask-time-prob", "1.5", "error: --mask-time-prob must be between 0 and 1, not 1.5.")]
    [InlineData("--validate-every", "0", "error: --save-every, --validate-every and the log interval must be at least 1 update, not 250, 0 and 5.")]
    public void A_recipe_setting_out_of_range_is_refused_before_the_data_is_read(string option, string value, string message)
    {
        var outDir = Path.Combine(_temp.Root, "ft");

        var (code, _, error) = Run("finetune", "--data", Path.Combine(_temp.Root, "missing.jsonl"), "--from-scratch", "small", "--out", outDir,
            option, value);

        Assert.Equal(1, code);
        Assert.Equal(message + Environment.NewLine, error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Finetune_augments_the_training_audio_with_the_named_effects_and_records_the_recipe()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 6, 3);
        var pretrained = SavePretrained(TinyConfig.Create() with { MaskTimeProb = 0.65 });
        var outDir = Path.Combine(_temp.Root, "ft");

        var (code, output, error) = Run("finetune", "--data", train, "--init-from", pretrained, "--out", outDir, "--max-updates", "3",
            "--freeze-updates", "0", "--max-tokens", "64000", "--augment", "noise, Speed,babble");

        Assert.True(code == 0, error);
        Assert.Contains("augmentation: speed,noise,babble (p = 0.5 each)", output);
        Assert.Contains("done: 3 updates", output);
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, Wav2Vec2Sharp.Training.FineTuningRun.OptionsFile)))!;
        Assert.Equal("speed,noise,babble (p = 0.5 each)", recorded["augmentation"]!.GetValue<string>());
    }

    [Fact]
    public void An_unknown_augmentation_is_refused_before_the_data_is_read_with_the_known_names()
    {
        var outDir = Path.Combine(_temp.Root, "ft");

        var (code, _, error) = Run("finetune", "--data", Path.Combine(_temp.Root, "missing.jsonl"), "--from-scratch", "small", "--out", outDir,
            "--augment", "speed,echo");

        Assert.Equal(1, code);
        Assert.Equal("error: Unknown augmentation 'echo'; known: speed, pitch, formant, eq, reverb, telephone, noise, babble, gain (each optionally ':p', its probability), 'default' (all but pitch, formant and eq), or 'none'."
            + Environment.NewLine, error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_fine_tuned_model_continues_with_its_own_head_unless_a_new_one_is_asked_for()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 6, 3);
        var first = Path.Combine(_temp.Root, "first");
        var (firstCode, _, firstError) = Run("finetune", "--data", train, "--init-from", SavePretrained(), "--out", first, "--max-updates", "2", "--freeze-updates", "1");
        Assert.True(firstCode == 0, firstError);
        var finetuned = Path.Combine(first, "model");
        using var trainedHead = Wav2Vec2Sharp.Checkpoints.ModelDirectory.ReadWeights(finetuned).Tensors["lm_head.weight"];
        TorchSharp.torch.Tensor Head(string name, out string output, params string[] extra)
        {
            var outDir = Path.Combine(_temp.Root, name);
            // one update at a negligible learning rate: the checkpoint holds the initial head
            var (code, stdout, error) = Run(["finetune", "--data", train, "--init-from", finetuned, "--out", outDir, "--max-updates", "1", "--lr", "1e-12", .. extra]);
            Assert.True(code == 0, error);
            output = stdout;
            return Wav2Vec2Sharp.Checkpoints.ModelDirectory.ReadWeights(Path.Combine(outDir, "checkpoints", "update_0000001")).Tensors["lm_head.weight"];
        }

        using var continued = Head("continued", out var continuedOutput);
        // the first run drew its head from seed 1 and barely moved it in 2 warm-up updates: draw this one from another seed
        using var drawn = Head("drawn", out var drawnOutput, "--new-head", "--seed", "2");

        Assert.Contains($"continuing the CTC head of {finetuned} (", continuedOutput);
        Assert.DoesNotContain("continuing the CTC head", drawnOutput);
        Assert.True((continued - trainedHead).abs().max().item<float>() < 1e-6f);
        Assert.True((drawn - trainedHead).abs().max().item<float>() > 1e-3f);
        var options = JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Root, "continued", "finetuning_options.json")))!;
        Assert.True(options["keep_ctc_head"]!.GetValue<bool>());
        Assert.Equal(0, options["freeze_body_updates"]!.GetValue<long>());
    }

    [Fact]
    public void Continuing_a_fine_tuned_head_with_another_vocabulary_is_refused_before_any_output()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 4, 3);
        var first = Path.Combine(_temp.Root, "first");
        var (firstCode, _, firstError) = Run("finetune", "--data", train, "--init-from", SavePretrained(), "--out", first, "--max-updates", "1");
        Assert.True(firstCode == 0, firstError);
        var vocab = Path.Combine(_temp.Root, "other_vocab.json");
        Wav2Vec2Sharp.Decoding.VocabularyBuilder.Build(["XYZ"]).Save(vocab);
        var outDir = Path.Combine(_temp.Root, "ft");

        var (code, _, error) = Run("finetune", "--data", train, "--init-from", Path.Combine(first, "model"), "--vocab", vocab, "--out", outDir);

        Assert.Equal(1, code);
        Assert.Equal($"error: --vocab {vocab} differs from the vocabulary of the CTC model in --init-from {Path.Combine(first, "model")}; " +
                     "add --new-head to train a new head for it." + Environment.NewLine, error);
        Assert.False(Directory.Exists(outDir));
    }
}
