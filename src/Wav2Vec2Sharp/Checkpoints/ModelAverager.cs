using Wav2Vec2Sharp.Runtime;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Checkpoints;

/// <summary>
/// Averages the weights of several model directories of one architecture into a new Hugging Face model directory:
/// checkpoint averaging (the last checkpoints of one training run, as fairseq's <c>average_checkpoints.py</c>), or a
/// uniform "model soup" of fine-tunings that started from the same pretrained model.
/// </summary>
/// <remarks>
/// Every floating-point tensor is the element-wise mean of the inputs' (summed in float64, stored in the inputs' dtype).
/// Weight-normalised convolutions are averaged as stored (their <c>weight_g</c>/<c>weight_v</c>, or PyTorch's
/// <c>original0</c>/<c>original1</c>), as PyTorch averages a state dict. Other tensors (integer buffers) must be equal.
/// The inputs must agree on <c>config.json</c> (sizes, norms, activations: all but the keys that record how the file was
/// written or only shape training, such as dropouts, masking and layerdrop), on <c>vocab.json</c> and
/// <c>preprocessor_config.json</c>, and on every tensor's name (either weight-norm naming), shape and dtype. Nothing can
/// tell whether the inputs started from the same weights: fine-tunings whose new CTC heads were drawn from other seeds
/// average into a poor model. The output
/// holds <c>model.safetensors</c>, the first input's <c>config.json</c>, <c>preprocessor_config.json</c> and tokenizer
/// files, and <c>averaging.json</c> naming the inputs; it is built in a sibling folder and renamed into place, so a
/// failure leaves no partial model.
/// </remarks>
public static class ModelAverager
{
    /// <summary>The file in an averaged model that names its inputs (and marks the folder as one this class wrote).</summary>
    public const string ProvenanceFile = "averaging.json";

    // Files of the first input the averaged model keeps; training state (optimizer.bin, rng_state.bin,
    // trainer_state.json) does not describe the average and stays behind.
    private static readonly string[] CopiedFiles =
        ["config.json", "preprocessor_config.json", "vocab.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json"];

    // config.json keys that record how and where the file was written, or only shape training (dropouts, masking,
    // layerdrop, the losses' settings, initialisation): a run resumed with other masking, or fine-tunings with other
    // regularisation, hold weights of one architecture.
    private static readonly string[] UnmodelledConfigKeys =
    [
        "_name_or_path", "transformers_version", "torch_dtype", "architectures", "layerdrop", "apply_spec_augment",
        "ctc_loss_reduction", "ctc_zero_infinity", "num_negatives", "contrastive_logits_temperature", "diversity_loss_weight",
        "initializer_range", "gradient_checkpointing",
    ];

    private static bool IsModelled(string configKey) =>
        !UnmodelledConfigKeys.Contains(configKey) && !configKey.Contains("dropout", StringComparison.Ordinal) && !configKey.StartsWith("mask_", StringComparison.Ordinal);

    /// <summary>Averages <paramref name="modelDirectories"/> (at least two, each read once) into <paramref name="outputDirectory"/>.</summary>
    /// <param name="modelDirectories">HF model directories or training checkpoints (<c>OUT/checkpoints/update_N</c>) of one architecture.</param>
    /// <param name="outputDirectory">The folder to write: absent, empty, or an earlier average (which is replaced).</param>
    /// <param name="progress">Reports (models read, models in all).</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentException">Fewer than two inputs, an input listed twice, or an output folder that holds something else.</exception>
    /// <exception cref="CheckpointException">An input that is missing or unreadable, holds non-finite weights, or differs from the first in
    /// its configuration, vocabulary, preprocessing, tensor names, shapes, dtypes or integer buffers.</exception>
    /// <exception cref="ConfigException">An input's <c>config.json</c> is not a valid model configuration.</exception>
    public static AveragedModel Average(IReadOnlyList<string> modelDirectories, string outputDirectory, IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(modelDirectories);
        var sources = modelDirectories.Select(Canonical).ToList();
        if (sources.Count < 2)
            throw new ArgumentException($"averaging needs at least two models, not {sources.Count}.", nameof(modelDirectories));
        if (sources.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"{twice.Key} is listed {twice.Count()} times; each model is averaged once.", nameof(modelDirectories));
        string output = Canonical(outputDirectory);
        CheckOutput(output, sources);

        // Every configuration and vocabulary is compared before any weights are read, so a mismatch is reported at once.
        var firstConfig = ReadConfigJson(sources[0]);
        for (int i = 1; i < sources.Count; i++)
        {
            CheckSameJson(firstConfig, ReadConfigJson(sources[i]), sources[0], sources[i], "config.json");
            foreach (var file in new[] { "vocab.json", "preprocessor_config.json" })
                CheckSameFile(sources[0], sources[i], file);
        }

        Dictionary<string, Tensor> sums = [];
        Dictionary<string, Tensor> exact = [];          // integer and bool tensors, which must agree
        Dictionary<string, ScalarType> dtypes = [];
        try
        {
            for (int i = 0; i < sources.Count; i++)
            {
                var (stored, file) = ModelDirectory.ReadWeights(sources[i]);
                // one naming generation (weight norm as parametrizations.weight.original0/1), without keys no model uses
                var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var (name, tensor) in stored)
                {
                    if (HfKeys.IsLegacy(name))
                        tensor.Dispose();
                    else
                        tensors[HfKeys.ToCheckpointName(name)] = tensor;
                }
                try
                {
                    Accumulate(tensors, file, i == 0, sources[0], sums, exact, dtypes);
                }
                finally
                {
                    foreach (var t in tensors.Values)
                        t.Dispose();
                }
                progress?.Report((i + 1, sources.Count));
            }

            var means = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            try
            {
                foreach (var (name, sum) in sums)
                {
                    using var scope = NewDisposeScope();
                    means[name] = sum.DividedBy((long)sources.Count).to_type(dtypes[name]).MoveToOuterDisposeScope();
                }
                Write(output, sources, means.Concat(exact).ToDictionary(StringComparer.Ordinal));
            }
            finally
            {
                foreach (var t in means.Values)
                    t.Dispose();
            }
            long parameters = sums.Values.Sum(t => t.NumberOfElements);
            return new AveragedModel(output, sources, sums.Count + exact.Count, parameters);
        }
        finally
        {
            foreach (var t in sums.Values.Concat(exact.Values))
                t.Dispose();
        }
    }

    private static void Accumulate(Dictionary<string, Tensor> tensors, string file, bool first, string firstSource,
        Dictionary<string, Tensor> sums, Dictionary<string, Tensor> exact, Dictionary<string, ScalarType> dtypes)
    {
        if (!first)
        {
            var known = dtypes.Keys;
            if (known.FirstOrDefault(name => !tensors.ContainsKey(name)) is { } missing)
                throw new CheckpointException($"{file}: has no tensor {missing}, which {firstSource} has; only models of one architecture can be averaged.");
            if (tensors.Keys.FirstOrDefault(name => !dtypes.ContainsKey(name)) is { } extra)
                throw new CheckpointException($"{file}: has a tensor {extra} that {firstSource} lacks; only models of one architecture can be averaged.");
        }
        foreach (var (name, tensor) in tensors)
        {
            using var scope = NewDisposeScope();
            if (!first)
            {
                var expected = sums.TryGetValue(name, out var sum) ? sum : exact[name];
                if (!expected.shape.SequenceEqual(tensor.shape))
                    throw new CheckpointException($"{file}: tensor {name} has shape [{string.Join(", ", tensor.shape)}], {firstSource} has [{string.Join(", ", expected.shape)}].");
                if (tensor.dtype != dtypes[name])
                    throw new CheckpointException($"{file}: tensor {name} is {tensor.dtype}, {firstSource} has {dtypes[name]}.");
            }
            else
                dtypes[name] = tensor.dtype;

            if (tensor.is_floating_point())
            {
                if (!tensor.isfinite().all().item<bool>())
                    throw new CheckpointException($"{file}: tensor {name} holds NaN or infinite values; such a model cannot be averaged.");
                if (first)
                    sums[name] = tensor.to_type(ScalarType.Float64).MoveToOuterDisposeScope();
                else
                    sums[name].PlusInPlace(tensor.to_type(ScalarType.Float64));
            }
            else if (first)
                exact[name] = tensor.clone().MoveToOuterDisposeScope();
            else if (!exact[name].eq(tensor).all().item<bool>())
                throw new CheckpointException($"{file}: tensor {name} ({tensor.dtype}) differs from {firstSource}'s; integer tensors are not averaged and must agree.");
        }
    }

    private static void CheckOutput(string output, IReadOnlyList<string> sources)
    {
        if (sources.FirstOrDefault(s => string.Equals(s, output, StringComparison.Ordinal) ||
                                        s.StartsWith(output + Path.DirectorySeparatorChar, StringComparison.Ordinal)) is { } inside)
            throw new ArgumentException($"{output}: the output would replace {inside}, one of the models averaged; choose another output folder.", "outputDirectory");
        if (File.Exists(output))
            throw new ArgumentException($"{output}: is a file; the averaged model is written as a folder.", "outputDirectory");
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any() && !File.Exists(Path.Combine(output, ProvenanceFile)))
            throw new ArgumentException($"{output}: the folder exists, is not empty and is not an averaged model; choose another output folder.", "outputDirectory");
    }

    // An earlier average steps aside until the new one is in place (AtomicDirectory).
    private static void Write(string output, IReadOnlyList<string> sources, Dictionary<string, Tensor> averaged) => AtomicDirectory.Write(output, staging =>
    {
        SafetensorsFile.Write(Path.Combine(staging, "model.safetensors"), averaged);
        foreach (var name in CopiedFiles)
        {
            var path = Path.Combine(sources[0], name);
            if (File.Exists(path))
                File.Copy(path, Path.Combine(staging, name));
        }
        var provenance = new JsonObject
        {
            ["method"] = "uniform mean of every floating-point tensor",
            ["sources"] = new JsonArray(sources.Select(s => (JsonNode)s).ToArray()),
        };
        File.WriteAllText(Path.Combine(staging, ProvenanceFile), provenance.ToJsonString(new() { WriteIndented = true }) + "\n");
    });

    // config.json as JSON without the keys that do not define the model, once ModelDirectory has found it a valid
    // model configuration (which also refuses a missing folder or file).
    private static JsonObject ReadConfigJson(string directory)
    {
        ModelDirectory.ReadConfig(directory);
        var config = (JsonObject)ReadJson(Path.Combine(directory, "config.json"))!;
        foreach (var key in config.Select(kv => kv.Key).Where(key => !IsModelled(key)).ToList())
            config.Remove(key);
        return config;
    }

    private static void CheckSameJson(JsonObject first, JsonObject other, string firstSource, string otherSource, string file)
    {
        foreach (var key in first.Select(kv => kv.Key).Union(other.Select(kv => kv.Key)))
        {
            var a = first[key];
            var b = other[key];
            if (!JsonNode.DeepEquals(a, b))
                throw new CheckpointException($"{Path.Combine(otherSource, file)}: {key} is {Show(b)}, {firstSource} has {Show(a)}; only models of one architecture can be averaged.");
        }
    }

    // vocab.json and preprocessor_config.json: the same content (as JSON) in both, or in neither.
    private static void CheckSameFile(string firstSource, string otherSource, string file)
    {
        var first = ReadJson(Path.Combine(firstSource, file));
        var other = ReadJson(Path.Combine(otherSource, file));
        if (first is null && other is null)
            return;
        if (first is null || other is null)
            throw new CheckpointException($"{(first is null ? otherSource : firstSource)} has a {file}, {(first is null ? firstSource : otherSource)} has none; " +
                                          "only models with the same vocabulary and preprocessing can be averaged.");
        if (!JsonNode.DeepEquals(first, other))
            throw new CheckpointException($"{Path.Combine(otherSource, file)}: differs from {Path.Combine(firstSource, file)}; " +
                                          "only models with the same vocabulary and preprocessing can be averaged.");
    }

    private static JsonNode? ReadJson(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CheckpointException($"{path}: invalid JSON ({e.Message.Split('.')[0]}).", e);
        }
    }

    // The full path, trailing separators removed, a link to a folder resolved to its target (so that one folder under
    // two names is seen as one, and an output that links to an input is refused).
    private static string Canonical(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var info = new DirectoryInfo(full);
        return info.Exists && info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)!.FullName.TrimEnd(Path.DirectorySeparatorChar) : full;
    }

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "absent";
        return text.Length > 60 ? text[..57] + "..." : text;
    }
}

/// <summary>What <see cref="ModelAverager.Average"/> wrote.</summary>
/// <param name="Directory">The averaged model directory.</param>
/// <param name="Sources">The averaged model directories, full paths, in the order given.</param>
/// <param name="Tensors">Tensors in the averaged model.</param>
/// <param name="Parameters">Elements in its floating-point tensors.</param>
public sealed record AveragedModel(string Directory, IReadOnlyList<string> Sources, int Tensors, long Parameters);
