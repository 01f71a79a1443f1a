using System.Text.Json.Nodes;
using TorchSharp;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// Training checkpoints under <c>OUT/checkpoints/</c>: one Hugging Face model directory per save
/// (<c>update_000500/</c>: <c>config.json</c>, <c>model.safetensors</c>, <c>preprocessor_config.json</c>) plus
/// <c>trainer_state.json</c>, <c>optimizer.bin</c> and <c>rng_state.bin</c>. A checkpoint is written into a
/// temporary folder and renamed into place, then <c>latest.json</c> is atomically pointed at it, so a crash at any
/// moment leaves the previous checkpoint intact. Only the newest <see cref="KeepLast"/> are kept, plus the best.
/// </summary>
public sealed class CheckpointStore(string outputDirectory, int keepLast)
{
    private const string StateFile = "trainer_state.json", OptimizerFile = "optimizer.bin", RngFile = "rng_state.bin";

    /// <summary>Folder holding the checkpoints.</summary>
    public string Directory { get; } = Path.Combine(outputDirectory, "checkpoints");

    /// <summary>How many recent checkpoints survive.</summary>
    public int KeepLast { get; } = Math.Max(1, keepLast);

    private string LatestPointer => Path.Combine(Directory, "latest.json");

    /// <summary>The newest complete checkpoint, or null when there is none.</summary>
    public string? Latest()
    {
        if (!File.Exists(LatestPointer))
            return null;
        var name = JsonNode.Parse(File.ReadAllText(LatestPointer))?["checkpoint"]?.GetValue<string>();
        var path = name is null ? null : Path.Combine(Directory, name);
        return path is not null && System.IO.Directory.Exists(path) ? path : null;
    }

    /// <summary>
    /// The newest <paramref name="count"/> complete checkpoints up to the one <c>latest.json</c> names, oldest first (fewer
    /// when fewer are kept), e.g. to average them with <see cref="ModelAverager"/>. Interrupted saves (temporary folders)
    /// and checkpoints left by an earlier run past the latest one are not listed. Note that the store keeps the best
    /// checkpoint besides the newest <see cref="KeepLast"/>, so a count above the run's keep-last can reach back to it.
    /// </summary>
    public IReadOnlyList<string> Newest(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (Latest() is not { } latest)
            return [];
        string latestName = Path.GetFileName(latest);
        var checkpoints = System.IO.Directory.GetDirectories(Directory, "update_*")
            .Where(path => string.CompareOrdinal(Path.GetFileName(path), latestName) <= 0)
            .Order(StringComparer.Ordinal).ToList();
        return checkpoints.Skip(Math.Max(0, checkpoints.Count - count)).ToList();
    }

    /// <summary>Saves model, optimizer, RNG and trainer state; returns the checkpoint folder.</summary>
    /// <param name="model">The model (its state dict is saved under HF names).</param>
    /// <param name="config">Its configuration.</param>
    /// <param name="architecture">HF class name for <c>config.json</c>.</param>
    /// <param name="optimizer">The optimizer whose moments are saved.</param>
    /// <param name="state">Trainer state after the last update.</param>
    /// <param name="featureExtractor">Preprocessing settings saved beside the model.</param>
    /// <param name="vocabulary">Vocabulary saved beside a CTC model, if any.</param>
    public string Save(nn.Module model, Wav2Vec2Config config, string architecture, TorchSharp.Modules.OptimizerHelper optimizer, TrainerState state,
        FeatureExtractorConfig featureExtractor, Decoding.Vocabulary? vocabulary = null)
    {
        var name = $"update_{state.Updates:D7}";
        var final = Path.Combine(Directory, name);
        AtomicDirectory.Write(final, temp =>
        {
            ModelDirectory.Save(model, config, architecture, temp, featureExtractor);
            if (vocabulary is not null)
                Decoding.TokenizerFiles.Save(temp, vocabulary);  // vocab.json with the tokenizer's settings, as in model/
            optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
            using (var rng = torch.get_rng_state())
                File.WriteAllBytes(Path.Combine(temp, RngFile), rng.bytes.ToArray());
            state.Write(Path.Combine(temp, StateFile));
        });
        AtomicFile.WriteAllText(LatestPointer, new JsonObject { ["checkpoint"] = name, ["updates"] = state.Updates }.ToJsonString() + "\n");
        Prune(keep: [name, state.BestUpdate is { } best ? $"update_{best:D7}" : ""]);
        return final;
    }

    /// <summary>Restores model weights, optimizer moments and the torch RNG from <paramref name="checkpoint"/>; returns its trainer state.</summary>
    public static TrainerState Restore(string checkpoint, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        ModelDirectory.LoadWeights(model, checkpoint);
        var optimizerPath = Path.Combine(checkpoint, OptimizerFile);
        if (!File.Exists(optimizerPath))
            throw new CheckpointException($"{checkpoint}: {OptimizerFile} is missing, so training cannot resume exactly.");
        optimizer.load_state_dict(optimizerPath);
        var rngPath = Path.Combine(checkpoint, RngFile);
        if (!File.Exists(rngPath))
            throw new CheckpointException($"{checkpoint}: {RngFile} is missing, so training cannot resume exactly.");
        using (var rng = torch.tensor(File.ReadAllBytes(rngPath), dtype: ScalarType.Byte))
            torch.set_rng_state(rng);
        return ReadState(checkpoint);
    }

    /// <summary>The trainer state saved in <paramref name="checkpoint"/> (a folder <see cref="Latest"/> names), without restoring anything.</summary>
    /// <exception cref="CheckpointException">The state file is malformed.</exception>
    /// <exception cref="IOException">The state file cannot be read.</exception>
    public static TrainerState ReadState(string checkpoint) => TrainerState.Read(Path.Combine(checkpoint, StateFile));

    private void Prune(string[] keep)
    {
        var checkpoints = System.IO.Directory.GetDirectories(Directory, "update_*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        foreach (var old in checkpoints.Take(Math.Max(0, checkpoints.Count - KeepLast)))
        {
            if (!keep.Contains(old))
                System.IO.Directory.Delete(Path.Combine(Directory, old!), recursive: true);
        }
    }
}
