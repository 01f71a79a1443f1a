namespace Wav2Vec2Sharp.Inference;

/// <summary>Cuts a collection of audio files into groups to decode and batch together with bounded memory (<see cref="Transcriber.TranscribeFiles"/>).</summary>
internal static class CollectionGroups
{
    /// <summary>About 64 windows of 30 s of 16 kHz fp32 audio: the most file bytes one group holds (unless one file is larger).</summary>
    public const long MaxGroupBytes = 64L * 30 * 16000 * 4;

    /// <summary>
    /// The items at <paramref name="indices"/>, in order, in groups of at most four batches (at least 32 items) whose files
    /// together stay under <see cref="MaxGroupBytes"/> on disk (the size on disk stands in for the decoded length).
    /// </summary>
    /// <param name="indices">The items, in the order to keep.</param>
    /// <param name="pathOf">The audio file of an item (a missing file counts as empty; decoding it reports the error).</param>
    /// <param name="batchSize">Clips per Transformer batch.</param>
    public static IEnumerable<List<int>> BySize(IReadOnlyList<int> indices, Func<int, string> pathOf, int batchSize)
    {
        var group = new List<int>();
        long bytes = 0;
        foreach (int i in indices)
        {
            var file = new FileInfo(pathOf(i));
            long size = file.Exists ? file.Length : 0;
            if (group.Count > 0 && (group.Count >= Math.Max(batchSize * 4, 32) || bytes + size > MaxGroupBytes))
            {
                yield return group;
                group = [];
                bytes = 0;
            }
            group.Add(i);
            bytes += size;
        }
        if (group.Count > 0)
            yield return group;
    }
}
