using TorchSharp;
using Wav2Vec2Sharp.Configuration;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Checkpoints;

/// <summary>
/// A Hugging Face model directory: <c>config.json</c>, weights (<c>model.safetensors</c>, sharded safetensors, or
/// <c>pytorch_model.bin</c>), and optionally <c>vocab.json</c> and <c>preprocessor_config.json</c>.
/// </summary>
public static class ModelDirectory
{
    /// <summary>File names, in the order weights are looked for.</summary>
    public static readonly IReadOnlyList<string> WeightFiles = ["model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"];

    /// <summary>Reads and validates <c>config.json</c> of <paramref name="directory"/>.</summary>
    public static Wav2Vec2Config ReadConfig(string directory)
    {
        RequireDirectory(directory);
        return ConfigJson.ReadModelConfig(Path.Combine(directory, "config.json"));
    }

    /// <summary>Reads <c>preprocessor_config.json</c>, or derives HF's defaults for <paramref name="model"/> when absent.</summary>
    public static FeatureExtractorConfig ReadFeatureExtractor(string directory, Wav2Vec2Config model)
    {
        var path = Path.Combine(directory, "preprocessor_config.json");
        return File.Exists(path) ? ConfigJson.ReadFeatureExtractorConfig(path) : FeatureExtractorConfig.For(model);
    }

    /// <summary>Reads all weight tensors of <paramref name="directory"/> (dtypes as stored); returns them with the file read.</summary>
    public static (Dictionary<string, Tensor> Tensors, string Source) ReadWeights(string directory)
    {
        RequireDirectory(directory);
        foreach (var name in WeightFiles)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
                continue;
            return name switch
            {
                "model.safetensors" => (SafetensorsFile.Read(path), path),
                "pytorch_model.bin" => (PyTorchBinFile.Read(path), path),
                _ => (ReadSharded(path, name.StartsWith("model.", StringComparison.Ordinal)), path),
            };
        }
        throw new CheckpointException($"{directory}: no weights found (expected one of {string.Join(", ", WeightFiles)}).");
    }

    /// <summary>Loads the weights of <paramref name="directory"/> into <paramref name="model"/> (see <see cref="StateDictLoader.Load"/>).</summary>
    public static void LoadWeights(nn.Module model, string directory, LoadOptions? options = null)
    {
        var (tensors, source) = ReadWeights(directory);
        try
        {
            StateDictLoader.Load(model, tensors, source, options);
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    /// <summary>
    /// Saves <paramref name="model"/> as an HF directory: <c>config.json</c> (with <paramref name="architecture"/>),
    /// <c>model.safetensors</c> (fp32 as held, weight norm under PyTorch's parametrization names) and, when given,
    /// <c>vocab.json</c> and <c>preprocessor_config.json</c>. Each file is written atomically.
    /// </summary>
    public static void Save(nn.Module model, Wav2Vec2Config config, string architecture, string directory,
        FeatureExtractorConfig? featureExtractor = null, Decoding.Vocabulary? vocabulary = null)
    {
        Directory.CreateDirectory(directory);
        var tensors = model.state_dict().ToDictionary(kv => HfKeys.ToCheckpointName(kv.Key), kv => kv.Value);
        SafetensorsFile.Write(Path.Combine(directory, "model.safetensors"), tensors);
        var dtype = tensors.Values.FirstOrDefault()?.dtype == ScalarType.Float32 ? "float32" : tensors.Values.FirstOrDefault()?.dtype.ToString().ToLowerInvariant();
        ConfigJson.Write(Path.Combine(directory, "config.json"), config with { Architectures = [architecture], TorchDtype = dtype });
        if (featureExtractor is not null)
            ConfigJson.Write(Path.Combine(directory, "preprocessor_config.json"), featureExtractor);
        vocabulary?.Save(Path.Combine(directory, "vocab.json"));
    }

    private static Dictionary<string, Tensor> ReadSharded(string indexPath, bool safetensors)
    {
        var directory = Path.GetDirectoryName(indexPath)!;
        System.Text.Json.Nodes.JsonNode? index;
        try
        {
            index = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(indexPath));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CheckpointException($"{indexPath}: invalid JSON ({e.Message.Split('.')[0]}).", e);
        }
        var map = index?["weight_map"]?.AsObject() ?? throw new CheckpointException($"{indexPath}: no \"weight_map\" object.");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var shard in map.Select(kv => kv.Value!.GetValue<string>()).Distinct())
        {
            var path = Path.Combine(directory, shard);
            if (!File.Exists(path))
                throw new CheckpointException($"{indexPath}: shard {shard} is missing.");
            foreach (var (name, tensor) in safetensors ? SafetensorsFile.Read(path) : PyTorchBinFile.Read(path))
                result[name] = tensor;
        }
        return result;
    }

    private static void RequireDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new CheckpointException(File.Exists(directory)
                ? $"{directory} is a file, not a model directory (config.json, weights, vocab.json)."
                : $"{directory}: model directory not found.");
    }
}
