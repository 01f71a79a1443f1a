using System.Text.Json;
using Wav2Vec2Sharp.Configuration;

namespace Wav2Vec2Sharp.Training;

/// <summary>Where a training run stands: everything besides weights, optimizer moments and RNG needed to resume exactly.</summary>
public sealed record TrainerState
{
    /// <summary>Optimizer updates applied so far.</summary>
    public long Updates { get; init; }

    /// <summary>Epoch of the next batch.</summary>
    public int Epoch { get; init; }

    /// <summary>Batches of <see cref="Epoch"/> already consumed.</summary>
    public int EpochPosition { get; init; }

    /// <summary>Steps skipped because their loss or gradient was NaN or infinite.</summary>
    public long SkippedSteps { get; init; }

    /// <summary>Lowest validation loss seen (per masked frame, or per token), or null before the first validation.</summary>
    public double? BestValidLoss { get; init; }

    /// <summary>Secondary score of the best validation, breaking ties of <see cref="BestValidLoss"/> (dev CER when fine-tuning).</summary>
    public double? BestValidTieBreak { get; init; }

    /// <summary>Update at which <see cref="BestValidLoss"/> was reached.</summary>
    public long? BestUpdate { get; init; }

    /// <summary>Seconds of audio trained on.</summary>
    public double AudioSeconds { get; init; }

    /// <summary>Wall-clock seconds spent training (across resumptions).</summary>
    public double WallSeconds { get; init; }

    /// <summary>
    /// Batches that made one update across the job when the checkpoint was written: ranks × update frequency (null in
    /// checkpoints from before it was recorded). A resumed job with another product trains on another global batch.
    /// </summary>
    public int? BatchesPerUpdate { get; init; }

    /// <summary>Whether the run ended because it was asked to stop (on any rank), not at its last update; not saved.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Stopped { get; init; }

    /// <summary>Reads <c>trainer_state.json</c>.</summary>
    public static TrainerState Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), ConfigJson.Options)
                   ?? throw new CheckpointException($"{path}: empty trainer state.");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: invalid trainer state ({e.Message.Split('.')[0]}).", e);
        }
    }

    /// <summary>Writes <c>trainer_state.json</c> atomically.</summary>
    public void Write(string path) => ConfigJson.Write(path, this);
}
