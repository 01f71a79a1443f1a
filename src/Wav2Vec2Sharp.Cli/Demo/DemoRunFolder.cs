using System.Security.Cryptography;
using System.Text;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Demo;

/// <summary>
/// Guards the demo's fine-tuning folders, which a rerun resumes: a folder is resumed only by a run with the same
/// augmentation recipe and the same starting weights, so the report never states a recipe or a pretrained model that its
/// models were not trained with.
/// </summary>
internal static class DemoRunFolder
{
    /// <summary>The file in a fine-tuning folder that records the weights the run started from (<see cref="StartingWeights"/>).</summary>
    internal const string StartFileName = "start.source";

    /// <summary>Refuses to resume a fine-tuning run that was started with another augmentation recipe.</summary>
    /// <exception cref="Wav2Vec2SharpException">The folder holds a run with another recipe.</exception>
    internal static void CheckAugmentation(string folder, AugmentationRecipe recipe)
    {
        var path = Path.Combine(folder, FineTuningRun.OptionsFile);
        if (!File.Exists(path))
            return;
        // runs from before augmentation existed record none
        var held = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))?["augmentation"]?.GetValue<string>() ?? AugmentationRecipe.None.Describe();
        if (held != recipe.Describe())
            throw new Wav2Vec2SharpException($"{folder} was fine-tuned with augmentation {held}; give another output folder for augmentation {recipe.Describe()}.");
    }

    /// <summary>
    /// Records the starting weights in a folder that holds no run yet, or refuses one whose run started from other weights
    /// (or from weights it did not record, as runs made before the record existed).
    /// </summary>
    /// <param name="folder">The fine-tuning folder.</param>
    /// <param name="pretrainedModel">The pretrained model directory the run starts from, or null for a run from scratch.</param>
    /// <param name="architectureModel">The model directory whose <c>config.json</c> gives a run from scratch its architecture.</param>
    /// <exception cref="Wav2Vec2SharpException">The folder holds a run from other or unrecorded starting weights.</exception>
    internal static void ClaimStartingWeights(string folder, string? pretrainedModel, string architectureModel)
    {
        var path = Path.Combine(folder, StartFileName);
        var start = StartingWeights(pretrainedModel, architectureModel);
        if (File.Exists(Path.Combine(folder, FineTuningRun.OptionsFile)))
        {
            if (!File.Exists(path) || File.ReadAllText(path) != start)
                throw new Wav2Vec2SharpException($"{folder} holds a fine-tuning run from other starting weights than {(pretrainedModel is null ? "scratch" : pretrainedModel)}" +
                                                 (File.Exists(path) ? "" : " (it does not record them)") + "; give another output folder, or delete it to fine-tune again.");
            return;
        }
        AtomicFile.WriteAllText(path, start);
    }

    /// <summary>
    /// What a run starts from: the SHA-256 of a pretrained model's <c>config.json</c> and weight files (<c>model*</c>,
    /// <c>pytorch_model*</c>, shards included), or, from scratch, of the architecture's <c>config.json</c> alone (the
    /// pretrained weights do not reach such a run).
    /// </summary>
    internal static string StartingWeights(string? pretrainedModel, string architectureModel)
    {
        var text = new StringBuilder();
        if (pretrainedModel is null)
            return text.Append("from scratch, architecture ").Append(Sha256(Path.Combine(architectureModel, "config.json"))).Append('\n').ToString();
        text.Append("pretrained, config.json ").Append(Sha256(Path.Combine(pretrainedModel, "config.json"))).Append('\n');
        var weights = Directory.EnumerateFiles(pretrainedModel)
            .Select(Path.GetFileName).OfType<string>()
            .Where(name => name.StartsWith("model", StringComparison.Ordinal) || name.StartsWith("pytorch_model", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var name in weights)
            text.Append(name).Append(' ').Append(Sha256(Path.Combine(pretrainedModel, name))).Append('\n');
        return text.ToString();
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
