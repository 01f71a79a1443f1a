using Wav2Vec2Sharp.Runtime;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Parity;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Checkpoints;

public sealed class ModelDirectoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("w2v-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_saved_ctc_model_loads_back_bit_identically()
    {
        using var model = new Wav2Vec2ForCtc(TinyConfig.Create("layer", stable: true, convBias: true));
        var vocabulary = new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]);

        Wav2Vec2Pretrained.Save(model, _directory, vocabulary);
        using var loaded = Wav2Vec2Pretrained.LoadForCtc(_directory);

        var expected = model.state_dict();
        foreach (var (name, tensor) in loaded.state_dict())
            Assert.True(TensorAssert.Identical(tensor, expected[name]), $"{name} changed in the round trip");
        Assert.Equal(expected.Count, loaded.state_dict().Count);
        Assert.Equal("|", Vocabulary.Load(Path.Combine(_directory, "vocab.json"))[4]);
    }

    [Fact]
    public void A_saved_directory_uses_the_names_and_metadata_transformers_expects()
    {
        using var model = new Wav2Vec2ForPreTraining(TinyConfig.Create());

        Wav2Vec2Pretrained.Save(model, _directory);

        var header = SafetensorsHeader(Path.Combine(_directory, "model.safetensors"));
        Assert.Equal("pt", header["__metadata__"]!["format"]!.GetValue<string>());
        Assert.Contains("wav2vec2.encoder.pos_conv_embed.conv.parametrizations.weight.original0", header.Select(kv => kv.Key));
        Assert.Contains("wav2vec2.encoder.pos_conv_embed.conv.parametrizations.weight.original1", header.Select(kv => kv.Key));
        Assert.Contains("quantizer.codevectors", header.Select(kv => kv.Key));
        Assert.DoesNotContain(header, kv => kv.Key.EndsWith("weight_g", StringComparison.Ordinal));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, "config.json")))!;
        Assert.Equal("Wav2Vec2ForPreTraining", config["architectures"]![0]!.GetValue<string>());
        Assert.Equal("wav2vec2", config["model_type"]!.GetValue<string>());
        Assert.Equal(16, config["codevector_dim"]!.GetValue<int>());
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Safetensors_and_bin_of_the_same_model_load_identical_weights()
    {
        var directory = Fixtures.Path("parity/layer_postln_bias");

        using var fromSafetensors = TorchaudioParityTests.LoadCtc(directory, "model.safetensors");
        using var fromBin = TorchaudioParityTests.LoadCtc(directory, "pytorch_model.bin");

        var expected = fromSafetensors.state_dict();
        foreach (var (name, tensor) in fromBin.state_dict())
            Assert.True(TensorAssert.Identical(tensor, expected[name]), name);
    }

    [Theory]
    [InlineData("model_fp16.safetensors", ScalarType.Float16)]
    [InlineData("model_bf16.safetensors", ScalarType.BFloat16)]
    [InlineData("pytorch_model_fp16.bin", ScalarType.Float16)]
    [InlineData("pytorch_model_bf16.bin", ScalarType.BFloat16)]
    public void Half_precision_checkpoints_load_into_an_fp32_model(string file, ScalarType dtype)
    {
        using var reference = TorchaudioParityTests.LoadCtc(Fixtures.Path("parity/layer_stableln_bias"), "model.safetensors");
        var config = ConfigJson.ReadModelConfig(Fixtures.Path("parity/layer_stableln_bias/config.json"));
        using var model = new Wav2Vec2ForCtc(config);
        var path = Fixtures.Path("parity/dtypes/" + file);
        var tensors = file.EndsWith(".bin", StringComparison.Ordinal) ? PyTorchBinFile.Read(path) : SafetensorsFile.Read(path);
        Assert.All(tensors.Values, t => Assert.Equal(dtype, t.dtype));

        StateDictLoader.Load(model, tensors, path);

        var expected = reference.state_dict();
        foreach (var (name, tensor) in model.state_dict())
        {
            Assert.Equal(ScalarType.Float32, tensor.dtype);
            using var rounded = expected[name].to_type(dtype).to_type(ScalarType.Float32);
            Assert.True(TensorAssert.Identical(tensor, rounded), $"{name} is not the {dtype} rounding of the fp32 weights");
        }
    }

    [Fact]
    public void Mismatched_checkpoints_list_missing_unexpected_and_misshaped_keys()
    {
        using var model = new Wav2Vec2ForCtc(TinyConfig.Create());
        var tensors = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        tensors.Remove("lm_head.bias");
        tensors.Remove("wav2vec2.encoder.layers.1.final_layer_norm.weight");
        tensors["wav2vec2.extra.weight"] = zeros(3);
        tensors["lm_head.weight"] = zeros(11, 24);

        var error = Assert.Throws<CheckpointException>(() => StateDictLoader.Load(model, tensors, "ckpt/model.safetensors"));

        Assert.Equal("ckpt/model.safetensors: the checkpoint does not fit the model; " +
                     "2 missing: wav2vec2.encoder.layers.1.final_layer_norm.weight, lm_head.bias; " +
                     "1 unexpected: wav2vec2.extra.weight; " +
                     "1 with the wrong shape: lm_head.weight (checkpoint [11, 24], model [10, 24]).", error.Message);
    }

    [Fact]
    public void New_tensors_keep_their_built_values_even_where_the_checkpoint_holds_them()
    {
        manual_seed(1);
        using var model = new Wav2Vec2ForCtc(TinyConfig.Create());
        var built = model.state_dict()["lm_head.weight"].clone();
        var tensors = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().Plus(1L));
        tensors["lm_head.bias"] = zeros(11); // another vocabulary's head: its shape does not matter either

        StateDictLoader.Load(model, tensors, "ckpt/model.safetensors", new LoadOptions { NewTensorPrefixes = ["lm_head."] });

        Assert.True(TensorAssert.Identical(model.state_dict()["lm_head.weight"], built));
        Assert.True(TensorAssert.Identical(model.state_dict()["wav2vec2.encoder.layers.0.attention.q_proj.weight"],
            tensors["wav2vec2.encoder.layers.0.attention.q_proj.weight"]));
    }

    [Fact]
    public void A_pretraining_checkpoint_cannot_silently_become_a_ctc_model()
    {
        var error = Assert.Throws<CheckpointException>(() => Wav2Vec2Pretrained.LoadForCtc(Fixtures.Path("parity/pretraining_group_postln")));

        Assert.Contains("2 missing: lm_head.weight, lm_head.bias", error.Message);
        Assert.DoesNotContain("unexpected", error.Message);
    }

    [Fact]
    public void The_body_loads_from_a_head_model_directory()
    {
        using var body = Wav2Vec2Pretrained.LoadModel(Fixtures.Path("parity/group_postln_nobias"));
        using var ctc = TorchaudioParityTests.LoadCtc(Fixtures.Path("parity/group_postln_nobias"), "model.safetensors");

        Assert.True(TensorAssert.Identical(body.state_dict()["encoder.layers.0.attention.q_proj.weight"],
            ctc.state_dict()["wav2vec2.encoder.layers.0.attention.q_proj.weight"]));
    }

    [Fact]
    public void A_truncated_safetensors_file_is_reported_by_name()
    {
        var source = File.ReadAllBytes(Fixtures.Path("parity/group_postln_nobias/model.safetensors"));
        var path = Path.Combine(_directory, "model.safetensors");
        File.WriteAllBytes(path, source[..(source.Length / 2)]);

        var error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Read(path));

        Assert.StartsWith($"{path}: truncated: tensor ", error.Message);
    }

    [Fact]
    public void A_directory_without_weights_names_the_files_it_looked_for()
    {
        File.Copy(Fixtures.Path("parity/group_postln_nobias/config.json"), Path.Combine(_directory, "config.json"));

        var error = Assert.Throws<CheckpointException>(() => Wav2Vec2Pretrained.LoadForCtc(_directory));

        Assert.Equal($"{_directory}: no weights found (expected one of model.safetensors, model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json).", error.Message);
    }

    [Fact]
    public void A_corrupt_bin_file_is_reported_by_name()
    {
        var path = Path.Combine(_directory, "pytorch_model.bin");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("definitely not a zip archive"));

        var error = Assert.Throws<CheckpointException>(() => PyTorchBinFile.Read(path));

        Assert.StartsWith($"{path}: not a readable PyTorch state dict", error.Message);
    }

    private static JsonObject SafetensorsHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, length % 8);
        return JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
    }
}
