using System.Globalization;
using System.Text;

namespace Wav2Vec2Sharp.Cli.Serve;

/// <summary>The server's counters, written in Prometheus' text format at <c>/metrics</c>.</summary>
internal sealed class ServerMetrics
{
    private static readonly double[] Buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64];
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly long[] _latency = new long[Buckets.Length + 1];
    private readonly long[] _batches = new long[BatchBuckets.Length + 1];
    private long _requests, _batchedClips, _dropped;
    private double _audioSeconds, _latencySum;

    public int QueueDepth;

    public void Answered(double seconds, double audioSeconds)
    {
        lock (_lock)
        {
            _requests++;
            _audioSeconds += audioSeconds;
            _latencySum += seconds;
            int bucket = Array.FindIndex(Buckets, b => seconds <= b);
            _latency[bucket < 0 ? Buckets.Length : bucket]++;
        }
    }

    public void Failed(string kind)
    {
        lock (_lock)
        {
            _requests++;
            _errors[kind] = _errors.GetValueOrDefault(kind) + 1;
        }
    }

    /// <summary>The model transcribed <paramref name="clips"/> HTTP clips in one batch.</summary>
    public void Batched(int clips)
    {
        lock (_lock)
        {
            _batchedClips += clips;
            int bucket = Array.FindIndex(BatchBuckets, b => clips <= b);
            _batches[bucket < 0 ? BatchBuckets.Length : bucket]++;
        }
    }

    /// <summary>A queued job was taken out before the model ran it: its client had gone.</summary>
    public void Dropped() => Interlocked.Increment(ref _dropped);

    public string Render()
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            text.AppendLine("# HELP w2v_requests_total Transcription requests answered, with or without an error.");
            text.AppendLine("# TYPE w2v_requests_total counter");
            text.AppendLine(Invariant($"w2v_requests_total {_requests}"));
            text.AppendLine("# HELP w2v_errors_total Requests answered with an error, by kind.");
            text.AppendLine("# TYPE w2v_errors_total counter");
            foreach (var (kind, count) in _errors.OrderBy(e => e.Key, StringComparer.Ordinal))
                text.AppendLine(Invariant($"w2v_errors_total{{kind=\"{kind}\"}} {count}"));
            text.AppendLine("# HELP w2v_queue_depth Requests waiting for or using the model.");
            text.AppendLine("# TYPE w2v_queue_depth gauge");
            text.AppendLine(Invariant($"w2v_queue_depth {Volatile.Read(ref QueueDepth)}"));
            text.AppendLine("# HELP w2v_audio_seconds_total Seconds of audio transcribed.");
            text.AppendLine("# TYPE w2v_audio_seconds_total counter");
            text.AppendLine(Invariant($"w2v_audio_seconds_total {_audioSeconds:0.###}"));
            text.AppendLine("# HELP w2v_request_seconds Time from a transcription request's arrival to its answer.");
            text.AppendLine("# TYPE w2v_request_seconds histogram");
            long cumulative = 0;
            for (int i = 0; i < Buckets.Length; i++)
            {
                cumulative += _latency[i];
                text.AppendLine(Invariant($"w2v_request_seconds_bucket{{le=\"{Buckets[i]}\"}} {cumulative}"));
            }
            cumulative += _latency[^1];
            text.AppendLine(Invariant($"w2v_request_seconds_bucket{{le=\"+Inf\"}} {cumulative}"));
            text.AppendLine(Invariant($"w2v_request_seconds_sum {_latencySum:0.######}"));
            text.AppendLine(Invariant($"w2v_request_seconds_count {cumulative}"));
            text.AppendLine("# HELP w2v_batch_size Clips the model transcribed together in one run (--batch-size at most).");
            text.AppendLine("# TYPE w2v_batch_size histogram");
            cumulative = 0;
            for (int i = 0; i < BatchBuckets.Length; i++)
            {
                cumulative += _batches[i];
                text.AppendLine(Invariant($"w2v_batch_size_bucket{{le=\"{BatchBuckets[i]}\"}} {cumulative}"));
            }
            cumulative += _batches[^1];
            text.AppendLine(Invariant($"w2v_batch_size_bucket{{le=\"+Inf\"}} {cumulative}"));
            text.AppendLine(Invariant($"w2v_batch_size_sum {_batchedClips}"));
            text.AppendLine(Invariant($"w2v_batch_size_count {cumulative}"));
            text.AppendLine("# HELP w2v_dropped_total Queued requests taken out before the model ran them, because their client had gone.");
            text.AppendLine("# TYPE w2v_dropped_total counter");
            text.AppendLine(Invariant($"w2v_dropped_total {Interlocked.Read(ref _dropped)}"));
        }
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
