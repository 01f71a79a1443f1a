namespace Wav2Vec2Sharp.Training;

/// <summary>A snapshot after an update, for progress bars.</summary>
/// <param name="Updates">Updates done.</param>
/// <param name="MaxUpdates">Updates planned.</param>
/// <param name="Metrics">The metrics of the last update (loss, accuracy, perplexity, …) by name.</param>
/// <param name="Elapsed">Wall time of this run so far.</param>
/// <param name="Eta">Estimated time to finish.</param>
public sealed record TrainingProgress(long Updates, long MaxUpdates, IReadOnlyDictionary<string, double> Metrics, TimeSpan Elapsed, TimeSpan Eta);
