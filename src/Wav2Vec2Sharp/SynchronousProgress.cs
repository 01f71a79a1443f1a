namespace Wav2Vec2Sharp;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls <paramref name="report"/> at once, on the reporting thread. Every long
/// operation of the Wav2Vec2Sharp packages (transcription, manifests, the corpus, data loading, training, evaluation)
/// reports through <see cref="IProgress{T}"/> and stops on a <see cref="CancellationToken"/>; <see cref="Progress{T}"/>
/// posts each report to the thread pool instead, so a console would see them late and out of order. Reports from
/// several threads (manifest scans run in parallel) are passed on one at a time.
/// </summary>
/// <typeparam name="T">The report.</typeparam>
/// <param name="report">Called with every report.</param>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _lock = new();

    /// <inheritdoc/>
    public void Report(T value)
    {
        lock (_lock)
            report(value);
    }
}

/// <summary>How far an operation over counted things has come: <see cref="Done"/> of <see cref="Total"/> (samples, clips, utterances).</summary>
/// <param name="Done">Things done.</param>
/// <param name="Total">Things in all.</param>
public readonly record struct CountProgress(long Done, long Total);
