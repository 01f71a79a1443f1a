using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Inference;

public sealed partial class Transcriber
{
    /// <summary>
    /// Transcribes many clips (mono, 16 kHz) together: clips that fit one window go through
    /// <see cref="IAcousticModel.RunBatch"/> in length-sorted batches of up to <paramref name="batchSize"/>, the rest one
    /// by one as <see cref="Transcribe(ReadOnlySpan{float}, CancellationToken)"/> does. Every transcript equals the clip's own transcript
    /// (logits within float rounding of the batch's other matrix shapes; see <see cref="TorchAcousticModel.RunBatch"/>
    /// for how the TorchSharp model pads a batch).
    /// </summary>
    /// <param name="clips">The clips, in any order.</param>
    /// <param name="batchSize">Most clips per acoustic-model batch; 1 transcribes one at a time.</param>
    /// <param name="progress">Told after each batch how many clips are done.</param>
    /// <param name="cancellationToken">Checked before each batch and each window.</param>
    /// <returns>One transcription per clip, in the order given.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="UntranscribableAudioException">A clip is empty, shorter than the receptive field, or holds NaN/infinite samples.</exception>
    public IReadOnlyList<Transcription> TranscribeBatch(IReadOnlyList<float[]> clips, int batchSize = 8, IProgress<CountProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        foreach (var clip in clips)
            EnsureTranscribable(clip);
        var results = new Transcription[clips.Count];
        var batchable = new List<int>();
        int done = 0;
        for (int i = 0; i < clips.Count; i++)
        {
            if (batchSize > 1 && ChunkPlanner.Plan(clips[i].Length, Config, Chunking, FeatureExtractor.SamplingRate).Count == 1)
                batchable.Add(i);
            else
            {
                results[i] = Transcribe(clips[i], cancellationToken);
                progress?.Report(new CountProgress(++done, clips.Count));
            }
        }
        var byLength = batchable.OrderBy(i => clips[i].Length).ThenBy(i => i).ToList();
        for (int start = 0; start < byLength.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = byLength.GetRange(start, Math.Min(batchSize, byLength.Count - start));
            var transcriptions = TranscribeTogether(batch.Select(i => clips[i]).ToList());
            for (int b = 0; b < batch.Count; b++)
                results[batch[b]] = transcriptions[b];
            done += batch.Count;
            progress?.Report(new CountProgress(done, clips.Count));
        }
        return results;
    }

    /// <summary>
    /// Transcribes audio files in order: one at a time through <see cref="TranscribeFile(string, out double, CancellationToken)"/> (a WAV is
    /// streamed), or with <paramref name="batchSize"/> above 1 decoded in groups of a few batches (at most about 64
    /// windows of audio in memory) and transcribed together by <see cref="TranscribeBatch"/>. A file that fails is reported
    /// in its place and the others go on.
    /// </summary>
    /// <param name="paths">The files.</param>
    /// <param name="batchSize">Clips per acoustic-model batch; 1 for one at a time.</param>
    /// <param name="isInputError">Which exceptions count as a file's own failure; by default <see cref="AudioDecodeException"/>
    /// and <see cref="UntranscribableAudioException"/> (unreadable, too short or non-finite audio). Others propagate.</param>
    /// <param name="cancellationToken">Checked before each file, batch and window.</param>
    /// <returns>One result per file, in the order given, produced lazily.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled (raised while enumerating).</exception>
    public IEnumerable<FileTranscription> TranscribeFiles(IReadOnlyList<string> paths, int batchSize = 1, Func<Exception, bool>? isInputError = null,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        isInputError ??= e => e is AudioDecodeException or UntranscribableAudioException;
        return batchSize == 1 ? OneByOne(paths, isInputError, cancellationToken) : InGroups(paths, batchSize, isInputError, cancellationToken);
    }

    private IEnumerable<FileTranscription> OneByOne(IReadOnlyList<string> paths, Func<Exception, bool> isInputError, CancellationToken cancellationToken)
    {
        for (int i = 0; i < paths.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            FileTranscription result;
            try
            {
                var transcription = TranscribeFile(paths[i], out double readSeconds, cancellationToken);
                result = new FileTranscription(i, transcription, null, readSeconds, clock.Elapsed.TotalSeconds);
            }
            catch (Exception e) when (isInputError(e))
            {
                result = new FileTranscription(i, null, e, 0, clock.Elapsed.TotalSeconds);
            }
            yield return result;
        }
    }

    private IEnumerable<FileTranscription> InGroups(IReadOnlyList<string> paths, int batchSize, Func<Exception, bool> isInputError,
        CancellationToken cancellationToken)
    {
        foreach (var group in CollectionGroups.BySize(Enumerable.Range(0, paths.Count).ToList(), i => paths[i], batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var loaded = new List<(int Index, float[] Samples, double ReadSeconds)>();
            var failed = new Dictionary<int, Exception>();
            foreach (int i in group)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    var samples = AudioFile.Load(paths[i], FeatureExtractor.SamplingRate);
                    EnsureTranscribable(samples);
                    loaded.Add((i, samples, clock.Elapsed.TotalSeconds));
                }
                catch (Exception e) when (isInputError(e))
                {
                    failed[i] = e;
                }
            }
            var batchClock = System.Diagnostics.Stopwatch.StartNew();
            var results = TranscribeBatch(loaded.Select(l => l.Samples).ToList(), batchSize, cancellationToken: cancellationToken);
            double perClip = batchClock.Elapsed.TotalSeconds / Math.Max(1, loaded.Count);
            var byIndex = loaded.Select((l, k) => new FileTranscription(l.Index, results[k], null, l.ReadSeconds, l.ReadSeconds + perClip))
                .ToDictionary(r => r.Index);
            foreach (int i in group)
                yield return failed.TryGetValue(i, out var error) ? new FileTranscription(i, null, error, 0, 0) : byIndex[i];
        }
    }

    // One AcousticModel.RunBatch over clips that each fit one window.
    private List<Transcription> TranscribeTogether(IReadOnlyList<float[]> clips)
    {
        var inputs = clips.Select(clip => FeatureExtractor.DoNormalize ? WaveformNormalizer.ZeroMeanUnitVariance(clip) : clip).ToList();
        var logits = AcousticModel.RunBatch(inputs);
        if (logits.Count != clips.Count)
            throw new InvalidOperationException($"the acoustic model gave {logits.Count} results for {clips.Count} clips");
        return clips.Select((clip, b) => Decode(StitchedLogits.EnsureShape(logits[b], clip.Length, Config), clip.Length)).ToList();
    }
}
