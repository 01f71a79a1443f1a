using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Demo;

/// <summary>
/// Guards the demo's fine-tuning folders, which a rerun resumes: a folder is resumed only by a run with the same
/// augmentation recipe and the same starting weights, so the report never states a recipe or a pretrained model that its
/// models were not trained with.
/// </summary>
internal static class DemoRunFolder
{
    /// <summary>The file in a fine-tuning folder that records what the run started from (<see cref="StartingWeights"/>).</summary>
    internal const string StartFileName = "start.source";

    /// <summary>Refuses to resume a fine-tuning run that was started with another augmentation recipe.</summary>
    /// <exception cref="Wav2Vec2SharpException">The folder holds a run with another recipe.</exception>
    internal static void CheckAugmentation(string folder, AugmentationRecipe recipe)
    {
        var path = Path.Combine(folder, FineTuningRun.OptionsFile);
        if (!File.Exists(path))
            return;
        // runs from before augmentation existed record none
        var held = JsonNode.Parse(File.ReadAllText(path))?["augmentation"]?.GetValue<string>() ?? AugmentationRecipe.None.Describe();
        if (held != recipe.Describe())
            throw new Wav2Vec2SharpException($"{folder} was fine-tuned with augmentation {held}; give another output folder for augmentation {recipe.Describe()}.");
    }

    /// <summary>
    /// Checks, before anything trains, that none of <paramref name="runs"/> holds a run from other starting weights or
    /// one that did not record them; names every such folder in one error.
    /// </summary>
    /// <param name="runs">Each fine-tuning folder with what its run starts from (<see cref="StartingWeights"/>).</param>
    /// <param name="pretrainedModel">The demo's pretrained model directory, named in the error.</param>
    /// <exception cref="Wav2Vec2SharpException">One or more folders hold such runs.</exception>
    internal static void CheckStartingWeights(IEnumerable<(string Folder, string Start)> runs, string pretrainedModel)
    {
        var stale = runs.Where(r => Conflicts(r.Folder, r.Start)).Select(r => r.Folder).ToList();
        if (stale.Count > 0)
            throw new Wav2Vec2SharpException($"{string.Join(", ", stale)} {(stale.Count == 1 ? "holds a fine-tuning run" : "hold fine-tuning runs")} " +
                                             $"from other starting weights than this demo's ({pretrainedModel}), or from before the demo recorded them; " +
                                             $"give another output folder, or delete {(stale.Count == 1 ? "it" : "them")} to fine-tune again.");
    }

    /// <summary>
    /// Records the starting weights in a folder that holds no run yet, or refuses one whose run started from other weights
    /// (or from weights it did not record, as runs made before the record existed).
    /// </summary>
    /// <param name="folder">The fine-tuning folder.</param>
    /// <param name="start">What the run starts from (<see cref="StartingWeights"/>).</param>
    /// <param name="startedFrom">The pretrained model directory, or "scratch", named in the error.</param>
    /// <exception cref="Wav2Vec2SharpException">The folder holds a run from other or unrecorded starting weights.</exception>
    internal static void ClaimStartingWeights(string folder, string start, string startedFrom)
    {
        if (Conflicts(folder, start))
            throw new Wav2Vec2SharpException(File.Exists(Path.Combine(folder, StartFileName))
                ? $"{folder} holds a fine-tuning run from other starting weights than {startedFrom}; give another output folder, or delete it to fine-tune again."
                : $"{folder} holds a fine-tuning run that does not record its starting weights; give another output folder, or delete it to fine-tune again.");
        if (!File.Exists(Path.Combine(folder, FineTuningRun.OptionsFile)))
            AtomicFile.WriteAllText(Path.Combine(folder, StartFileName), start);
    }

    /// <summary>
    /// What a run starts from: SHA-256s of the files that shape it. From a pretrained model: <c>config.json</c>,
    /// <c>preprocessor_config.json</c> (or its absence) and the weight files that
    /// <see cref="ModelDirectory.ReadWeights"/> loads (an index with its shards). From scratch: the architecture model's
    /// <c>config.json</c> and <c>preprocessor_config.json</c> alone, since its weights do not reach such a run.
    /// </summary>
    internal static string StartingWeights(string? pretrainedModel, string architectureModel)
    {
        var text = new StringBuilder();
        var source = pretrainedModel ?? architectureModel;
        text.Append(pretrainedModel is null ? "from scratch\n" : "pretrained\n");
        foreach (var name in new[] { "config.json", "preprocessor_config.json" })
            Append(text, source, name);
        if (pretrainedModel is not null)
            foreach (var name in LoadedWeightFiles(pretrainedModel))
                Append(text, pretrainedModel, name);
        return text.ToString();
    }

    // a run is there (its options file) and its record is missing or different
    private static bool Conflicts(string folder, string start)
    {
        if (!File.Exists(Path.Combine(folder, FineTuningRun.OptionsFile)))
            return false;
        var path = Path.Combine(folder, StartFileName);
        return !File.Exists(path) || File.ReadAllText(path) != start;
    }

    // the first of ModelDirectory.WeightFiles present, and for an index the shards its weight_map names
    private static IEnumerable<string> LoadedWeightFiles(string directory)
    {
        var first = ModelDirectory.WeightFiles.FirstOrDefault(name => File.Exists(Path.Combine(directory, name)));
        if (first is null)
            yield break;
        yield return first;
        if (!first.EndsWith(".index.json", StringComparison.Ordinal))
            yield break;
        JsonObject? map;
        try
        {
            map = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, first)))?["weight_map"] as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            map = null;   // loading the weights names the problem
        }
        foreach (var shard in (map ?? []).Select(kv => kv.Value?.GetValue<string>()).OfType<string>().Distinct().Order(StringComparer.Ordinal))
            yield return shard;
    }

    private static void Append(StringBuilder text, string directory, string name)
    {
        var path = Path.Combine(directory, name);
        text.Append(name).Append(' ');
        if (File.Exists(path))
        {
            using var stream = File.OpenRead(path);
            text.Append(Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
        else
            text.Append("absent");
        text.Append('\n');
    }
}
