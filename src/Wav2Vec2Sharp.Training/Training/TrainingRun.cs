using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Training;

/// <summary>What every trainer does when a run starts and while it reports progress.</summary>
internal static class TrainingRun
{
    /// <summary>
    /// Seeds the RNG, then either restores the latest checkpoint (weights, optimizer, RNG, state; metrics cut back to it)
    /// or starts fresh with an empty metrics log. Only the process that <paramref name="writesFiles"/> (rank 0) touches the log.
    /// </summary>
    public static TrainerState Begin(int seed, bool resume, CheckpointStore checkpoints, nn.Module model,
        TorchSharp.Modules.OptimizerHelper optimizer, MetricsLog metrics, bool writesFiles = true)
    {
        Runtime.TorchRuntime.Settle();
        manual_seed(seed);
        if (resume && checkpoints.Latest() is { } latest)
        {
            var state = CheckpointStore.Restore(latest, model, optimizer);
            if (writesFiles)
                metrics.TruncateAfter(state.Updates);
            return state;
        }
        if (writesFiles && File.Exists(metrics.Path))
            File.Delete(metrics.Path);
        return new TrainerState();
    }

    /// <summary>Time left, extrapolated from the updates done in this run.</summary>
    public static TimeSpan Eta(TimeSpan elapsed, long doneThisRun, long updates, long maxUpdates) =>
        doneThisRun > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds / doneThisRun * (maxUpdates - updates)) : TimeSpan.Zero;
}
