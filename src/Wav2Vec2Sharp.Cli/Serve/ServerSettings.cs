namespace Wav2Vec2Sharp.Cli.Serve;

/// <summary>How <c>w2v serve</c> runs.</summary>
/// <param name="Transcriber">The loaded model and decoder, shared by all requests (one request uses it at a time).</param>
/// <param name="ModelName">The model's name in <c>/v1/models</c> and the answers (its folder's name).</param>
/// <param name="ApiKey">When set, every <c>/v1</c> request needs <c>Authorization: Bearer KEY</c>.</param>
/// <param name="MaxUploadBytes">The largest request body accepted; larger ones get 413.</param>
/// <param name="MaxQueue">Requests that may wait for the model; one more gets 503 with <c>Retry-After</c>.</param>
internal sealed record ServerSettings(Inference.Transcriber Transcriber, string ModelName, string? ApiKey, long MaxUploadBytes, int MaxQueue)
{
    /// <summary>The counters behind <c>/metrics</c> (and the queue depth the server admits by).</summary>
    public ServerMetrics Metrics { get; init; } = new();
}
