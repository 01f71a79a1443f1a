using Wav2Vec2Sharp.Runtime;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Checkpoints;

public sealed class ModelAveragerTests : IDisposable
{
    private static readonly Vocabulary Letters = new(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]);

    private readonly string _directory = Directory.CreateTempSubdirectory("w2v-average-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // A tiny CTC model with weights drawn from `seed`, saved under `name`.
    private string SaveModel(string name, int seed, Wav2Vec2Sharp.Configuration.Wav2Vec2Config? config = null, Vocabulary? vocabulary = null)
    {
        using var scope = NewDisposeScope();
        manual_seed(seed);
        using var model = new Wav2Vec2ForCtc(config ?? TinyConfig.Create("layer", stable: true, convBias: true));
        var path = Path.Combine(_directory, name);
        Wav2Vec2Pretrained.Save(model, path, vocabulary ?? Letters);
        return path;
    }

    private static Dictionary<string, Tensor> Weights(string directory) => ModelDirectory.ReadWeights(directory).Tensors;

    [Fact]
    public void Every_tensor_of_the_average_is_the_mean_of_the_inputs()
    {
        using var scope = NewDisposeScope();
        string[] models = [SaveModel("a", 1), SaveModel("b", 2), SaveModel("c", 3)];
        var output = Path.Combine(_directory, "avg");

        var result = ModelAverager.Average(models, output);

        var inputs = models.Select(Weights).ToList();
        var averaged = Weights(output);
        Assert.Equal(inputs[0].Count, averaged.Count);
        Assert.Equal(inputs[0].Count, result.Tensors);
        foreach (var (name, tensor) in averaged)
        {
            using var expected = inputs[0][name].to_type(ScalarType.Float64).Plus(inputs[1][name]).Plus(inputs[2][name]).DividedBy(3L);
            Assert.Equal(ScalarType.Float32, tensor.dtype);
            double error = (tensor.to_type(ScalarType.Float64) - expected).abs().max().item<double>();
            Assert.True(error <= 1e-7 * Math.Max(1, expected.abs().max().item<double>()), $"{name}: off by {error}");
        }
        // the inputs differ, so a mean that returned one of them would fail above; check they do
        Assert.False(inputs[0]["lm_head.weight"].eq(inputs[1]["lm_head.weight"]).all().item<bool>());
        Assert.Equal(models.Select(Path.GetFullPath), result.Sources);
    }

    [Fact]
    public void The_average_is_a_loadable_model_with_the_first_inputs_files_and_its_provenance()
    {
        string[] models = [SaveModel("a", 1), SaveModel("b", 2)];
        File.WriteAllText(Path.Combine(models[0], "optimizer.bin"), "training state");
        var output = Path.Combine(_directory, "avg");

        ModelAverager.Average(models, output);

        using var loaded = Wav2Vec2Pretrained.LoadForCtc(output);
        Assert.Equal(Letters.Count, Vocabulary.Load(Path.Combine(output, "vocab.json")).Count);
        Assert.False(File.Exists(Path.Combine(output, "optimizer.bin")));
        var provenance = JsonNode.Parse(File.ReadAllText(Path.Combine(output, ModelAverager.ProvenanceFile)))!;
        Assert.Equal(models.Select(Path.GetFullPath), provenance["sources"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["avg"], Directory.GetDirectories(_directory).Select(Path.GetFileName).Where(n => n!.Contains("avg")));
    }

    [Fact]
    public void An_earlier_average_is_replaced_but_any_other_folder_is_refused_and_left_alone()
    {
        string[] models = [SaveModel("a", 1), SaveModel("b", 2), SaveModel("c", 3)];
        var output = Path.Combine(_directory, "avg");
        ModelAverager.Average(models[..2], output);

        ModelAverager.Average(models[1..], output);
        var sources = JsonNode.Parse(File.ReadAllText(Path.Combine(output, ModelAverager.ProvenanceFile)))!["sources"]!.AsArray();
        Assert.Equal(Path.GetFullPath(models[2]), sources[1]!.GetValue<string>());

        var foreign = Path.Combine(_directory, "notes");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "keep.txt"), "mine");
        var e = Assert.Throws<ArgumentException>(() => ModelAverager.Average(models, foreign));
        Assert.Contains("is not an averaged model", e.Message);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(foreign).Select(Path.GetFileName));

        e = Assert.Throws<ArgumentException>(() => ModelAverager.Average(models, _directory));
        Assert.Contains("one of the models averaged", e.Message);
    }

    [Fact]
    public void Fewer_than_two_models_or_one_listed_twice_are_refused()
    {
        var a = SaveModel("a", 1);
        var output = Path.Combine(_directory, "avg");

        Assert.Contains("at least two models", Assert.Throws<ArgumentException>(() => ModelAverager.Average([a], output)).Message);
        Assert.Contains("listed 2 times", Assert.Throws<ArgumentException>(() => ModelAverager.Average([a, a + "/"], output)).Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Models_of_other_architectures_or_vocabularies_are_refused_naming_the_difference()
    {
        var a = SaveModel("a", 1);
        var deeper = SaveModel("deeper", 2, TinyConfig.Create("layer", stable: true, convBias: true) with { NumHiddenLayers = 3 });
        var otherLetters = SaveModel("other-letters", 3, vocabulary: new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "F"]));
        var output = Path.Combine(_directory, "avg");

        var e = Assert.Throws<CheckpointException>(() => ModelAverager.Average([a, deeper], output));
        Assert.Contains("num_hidden_layers is 3", e.Message);
        Assert.Contains(deeper, e.Message);
        e = Assert.Throws<CheckpointException>(() => ModelAverager.Average([a, otherLetters], output));
        Assert.Contains("vocabulary", e.Message);
        Assert.Contains(Path.Combine(otherLetters, "vocab.json"), e.Message);
        Assert.Contains("missing: model directory not found", Assert.Throws<CheckpointException>(() => ModelAverager.Average([a, Path.Combine(_directory, "missing")], output)).Message);
        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetDirectories(_directory, ".avg.*"));
    }

    [Fact]
    public void Missing_tensors_and_non_finite_weights_are_refused_naming_the_tensor()
    {
        using var scope = NewDisposeScope();
        var a = SaveModel("a", 1);
        var b = SaveModel("b", 2);
        var weights = Weights(b);
        var file = Path.Combine(b, "model.safetensors");
        weights["lm_head.bias"][3] = float.NaN;
        SafetensorsFile.Write(file, weights);
        var output = Path.Combine(_directory, "avg");

        var e = Assert.Throws<CheckpointException>(() => ModelAverager.Average([a, b], output));
        Assert.Contains("lm_head.bias holds NaN", e.Message);

        weights.Remove("lm_head.bias");
        SafetensorsFile.Write(file, weights);
        e = Assert.Throws<CheckpointException>(() => ModelAverager.Average([a, b], output));
        Assert.Contains("has no tensor lm_head.bias", e.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Integer_tensors_are_kept_when_equal_and_refused_when_they_differ()
    {
        using var scope = NewDisposeScope();
        var a = SaveModel("a", 1);
        var b = SaveModel("b", 2);
        void AddCounter(string model, long value)
        {
            var weights = Weights(model);
            weights["num_updates"] = tensor(new[] { value });
            SafetensorsFile.Write(Path.Combine(model, "model.safetensors"), weights);
        }
        AddCounter(a, 7);
        AddCounter(b, 7);
        var output = Path.Combine(_directory, "avg");

        ModelAverager.Average([a, b], output);
        var counter = Weights(output)["num_updates"];
        Assert.Equal(ScalarType.Int64, counter.dtype);
        Assert.Equal(7L, counter[0].item<long>());

        AddCounter(b, 8);
        var e = Assert.Throws<CheckpointException>(() => ModelAverager.Average([a, b], output));
        Assert.Contains("num_updates (Int64) differs", e.Message);
    }

    [Fact]
    public void Settings_that_only_shape_training_may_differ_but_preprocessing_may_not()
    {
        var a = SaveModel("a", 1);
        var regularised = SaveModel("regularised", 2, TinyConfig.Create("layer", stable: true, convBias: true) with { MaskTimeProb = 0.5, Layerdrop = 0.1, HiddenDropout = 0.1 });
        var output = Path.Combine(_directory, "avg");

        ModelAverager.Average([a, regularised], output);
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")));

        File.WriteAllText(Path.Combine(regularised, "preprocessor_config.json"), "{\"do_normalize\": false, \"sampling_rate\": 16000}");
        var e = Assert.Throws<CheckpointException>(() => ModelAverager.Average([a, regularised], output));
        Assert.Equal($"{Path.Combine(regularised, "preprocessor_config.json")}: differs from {Path.Combine(a, "preprocessor_config.json")}; " +
                     "only models with the same vocabulary and preprocessing can be averaged.", e.Message);
        File.Delete(Path.Combine(regularised, "preprocessor_config.json"));
        e = Assert.Throws<CheckpointException>(() => ModelAverager.Average([a, regularised], output));
        Assert.Equal($"{a} has a preprocessor_config.json, {regularised} has none; only models with the same vocabulary and preprocessing can be averaged.", e.Message);
        var sources = JsonNode.Parse(File.ReadAllText(Path.Combine(output, ModelAverager.ProvenanceFile)))!["sources"]!.AsArray();
        Assert.Equal(2, sources.Count);   // the earlier average is intact
    }
}
