using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Evaluation;

/// <summary>How far an evaluation has come: <paramref name="Done"/> of <paramref name="Total"/> utterances, and the report so far.</summary>
/// <param name="Done">Utterances transcribed.</param>
/// <param name="Total">Utterances in the manifest.</param>
/// <param name="Running">The report of those done (do not keep it: it keeps growing).</param>
public sealed record EvaluationProgress(int Done, int Total, EvaluationReport Running);

/// <summary>Transcribes every utterance of a labelled manifest and scores it.</summary>
public static class ModelEvaluation
{
    /// <summary>
    /// Transcripts of <paramref name="manifest"/>'s utterances (by the transcriber's decoder) scored against their references
    /// (both through <paramref name="normalizer"/>). Utterances whose audio cannot be read are reported through <paramref name="skipped"/>.
    /// </summary>
    /// <param name="transcriber">The model.</param>
    /// <param name="manifest">Labelled utterances.</param>
    /// <param name="normalizer">Text normalisation applied to both sides before alignment.</param>
    /// <param name="progress">Told after each utterance how many are done, with the report so far.</param>
    /// <param name="skipped">Told (audio path, problem) about every utterance that could not be transcribed.</param>
    /// <returns>The report and the seconds of audio transcribed.</returns>
    /// <param name="world">
    /// A data-parallel job: rank r transcribes utterances r, r + N, r + 2N, …, and rank 0 gathers the transcripts and
    /// returns the report of the whole manifest in input order (the other ranks return an empty report). One process when null.
    /// </param>
    /// <param name="batchSize">Clips transcribed together (see <see cref="Transcriber.TranscribeBatch"/>); 1 for one at a time.</param>
    /// <param name="cancellationToken">Checked before each utterance, batch and window.</param>
    /// <returns>The report and the seconds of audio transcribed.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static (EvaluationReport Report, double AudioSeconds) Evaluate(Transcriber transcriber, LabelledManifest manifest, TextNormalizer normalizer,
        IProgress<EvaluationProgress>? progress = null, Action<string, string>? skipped = null, Distributed.ICommunicator? world = null, int batchSize = 1,
        CancellationToken cancellationToken = default)
    {
        var report = new EvaluationReport(normalizer);
        if (world is { Size: > 1 })
            return EvaluateShard(transcriber, manifest, normalizer, world, skipped, batchSize, cancellationToken);
        double seconds = 0;
        ForEachReadable(transcriber, manifest, batchSize, cancellationToken, (utterance, result) =>
        {
            seconds += result.AudioSeconds;
            report.Add(utterance.AudioPath, utterance.Text, result.Text);
        }, new SynchronousProgress<CountProgress>(p => progress?.Report(new EvaluationProgress((int)p.Done, (int)p.Total, report))), skipped);
        return (report, seconds);
    }

    private sealed record ShardResult(int Index, string? Text, double Seconds, string? Problem);

    private static (EvaluationReport Report, double AudioSeconds) EvaluateShard(Transcriber transcriber, LabelledManifest manifest, TextNormalizer normalizer,
        Distributed.ICommunicator world, Action<string, string>? skipped, int batchSize, CancellationToken cancellationToken)
    {
        var indices = Enumerable.Range(0, manifest.Utterances.Count).Where(i => i % world.Size == world.Rank).ToList();
        var mine = Transcripts(transcriber, manifest, indices, batchSize, cancellationToken)
            .Select(t => new ShardResult(t.Index, t.Result?.Text, t.Result?.AudioSeconds ?? 0, t.Problem)).ToList();
        var gathered = world.GatherToRoot(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(mine));
        var report = new EvaluationReport(normalizer);
        double seconds = 0;
        foreach (var result in gathered.SelectMany(bytes => System.Text.Json.JsonSerializer.Deserialize<List<ShardResult>>(bytes)!).OrderBy(r => r.Index))
        {
            var utterance = manifest.Utterances[result.Index];
            if (result.Text is null)
            {
                skipped?.Invoke(utterance.AudioPath, result.Problem!);
                continue;
            }
            seconds += result.Seconds;
            report.Add(utterance.AudioPath, utterance.Text, result.Text);
        }
        return (report, seconds);
    }

    /// <summary>
    /// The model's logits for every readable utterance of <paramref name="manifest"/>, computed once so that several decoders
    /// (greedy, beam search with different LM weights) can be scored with <see cref="Score"/>.
    /// </summary>
    /// <param name="transcriber">The model.</param>
    /// <param name="manifest">Labelled utterances.</param>
    /// <param name="progress">Told after each utterance how many are done.</param>
    /// <param name="skipped">Told (audio path, problem) about every utterance that could not be transcribed.</param>
    /// <param name="batchSize">Clips transcribed together (see <see cref="Transcriber.TranscribeBatch"/>); 1 for one at a time.</param>
    /// <param name="cancellationToken">Checked before each utterance, batch and window.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static List<UtteranceLogits> ComputeLogits(Transcriber transcriber, LabelledManifest manifest,
        IProgress<CountProgress>? progress = null, Action<string, string>? skipped = null, int batchSize = 1, CancellationToken cancellationToken = default)
    {
        var results = new List<UtteranceLogits>();
        ForEachReadable(transcriber, manifest, batchSize, cancellationToken,
            (utterance, result) => results.Add(new UtteranceLogits(utterance.AudioPath, utterance.Text, result.Logits, result.Frames, result.AudioSeconds)),
            progress, skipped);
        return results;
    }

    /// <summary>Decodes precomputed logits with <paramref name="decoder"/> (utterances in parallel) and scores the transcripts.</summary>
    /// <param name="utterances">Logits and references from <see cref="ComputeLogits"/>.</param>
    /// <param name="decoder">Any CTC decoder over the model's vocabulary; it must be safe to call from several threads (ours are).</param>
    /// <param name="normalizer">Text normalisation applied to both sides before alignment.</param>
    public static EvaluationReport Score(IReadOnlyList<UtteranceLogits> utterances, ICtcDecoder decoder, TextNormalizer normalizer)
    {
        var texts = new string[utterances.Count];
        Parallel.For(0, utterances.Count, i => texts[i] = decoder.Decode(utterances[i].Logits, utterances[i].Frames)[0].Text);
        var report = new EvaluationReport(normalizer);
        for (int i = 0; i < utterances.Count; i++)
            report.Add(utterances[i].AudioPath, utterances[i].Reference, texts[i]);
        return report;
    }

    private static void ForEachReadable(Transcriber transcriber, LabelledManifest manifest, int batchSize, CancellationToken cancellationToken,
        Action<LabelledUtterance, Transcription> use, IProgress<CountProgress>? progress, Action<string, string>? skipped)
    {
        int done = 0;
        foreach (var (index, result, problem) in Transcripts(transcriber, manifest, Enumerable.Range(0, manifest.Utterances.Count).ToList(), batchSize, cancellationToken))
        {
            var utterance = manifest.Utterances[index];
            if (result is not null)
                use(utterance, result);
            else
                skipped?.Invoke(utterance.AudioPath, problem!);
            progress?.Report(new CountProgress(++done, manifest.Utterances.Count));
        }
    }

    // The transcripts of the utterances at `indices`, in that order, or why one could not be read.
    private static IEnumerable<(int Index, Transcription? Result, string? Problem)> Transcripts(Transcriber transcriber, LabelledManifest manifest,
        IReadOnlyList<int> indices, int batchSize, CancellationToken cancellationToken) =>
        transcriber.TranscribeFiles(indices.Select(i => manifest.Utterances[i].AudioPath).ToList(), batchSize, cancellationToken: cancellationToken)
            .Select(f => (indices[f.Index], f.Result, f.Problem));
}
