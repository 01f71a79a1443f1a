namespace Wav2Vec2Sharp.Cli.Serve;

/// <summary>How <c>w2v serve</c> runs.</summary>
/// <param name="Transcriber">The loaded model and decoder, used by the server's one model thread (<see cref="ModelWorker"/>).</param>
/// <param name="ModelName">The model's name in <c>/v1/models</c> and the answers (its folder's name).</param>
/// <param name="ApiKey">When set, every <c>/v1</c> request needs <c>Authorization: Bearer KEY</c>.</param>
/// <param name="MaxUploadBytes">The largest request body accepted; larger ones get 413.</param>
/// <param name="MaxQueue">Requests that may wait for the model; one more gets 503 with <c>Retry-After</c>.</param>
internal sealed record ServerSettings(Inference.Transcriber Transcriber, string ModelName, string? ApiKey, long MaxUploadBytes, int MaxQueue)
{
    /// <summary>
    /// <c>--batch-size</c>'s default: one request at a time. On CPU a batch pays only for short clips of similar length
    /// (small model, 2 cores, 4 clients: +6 to 7 % audio-s/s with 1-3 s clips, 7 % less with clips of 1 to 10 s, whose
    /// batches are mostly padding; <c>bench/results/serve-load-2026-12-06.jsonl</c>).
    /// </summary>
    public const int DefaultBatchSize = 1;

    /// <summary>The counters behind <c>/metrics</c> (and the queue depth the server admits by).</summary>
    public ServerMetrics Metrics { get; init; } = new();

    /// <summary>Most waiting requests transcribed together in one batch; 1 transcribes one request at a time.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;
}
