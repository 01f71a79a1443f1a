using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Models;

namespace Wav2Vec2Sharp.Bench;

/// <summary>
/// <c>--mode long</c>: transcribes a synthetic clip (a 220 Hz tone plus hashed white noise, generated window by window
/// so the audio is never held whole) through the chunked path with a random-weight model, and prints wall time,
/// audio-seconds per second and the process's peak RSS. Run it once per length, each in a fresh process, to see that
/// memory does not grow with the clip.
/// </summary>
internal static class LongAudio
{
    private static readonly string[] LibriSpeechLetters =
        ["<pad>", "<s>", "</s>", "<unk>", "|", "E", "T", "A", "O", "N", "I", "H", "S", "R", "D", "L", "U", "M", "W", "C", "F", "G", "Y", "P", "B", "V", "K", "'", "X", "J", "Q", "Z"];

    public static void Run(Wav2Vec2Config config, string arch, double seconds, double chunkSeconds)
    {
        config = config with { VocabSize = LibriSpeechLetters.Length };
        using var model = new Wav2Vec2ForCtc(config);
        using var transcriber = new Transcriber(model, new Vocabulary(LibriSpeechLetters), new FeatureExtractorConfig(),
            chunking: new ChunkingOptions { ChunkSeconds = chunkSeconds });
        long samples = (long)Math.Round(seconds * 16000);
        long rssBefore = Status("VmHWM");
        var clock = Stopwatch.StartNew();
        var result = transcriber.Transcribe(samples, Synthesize);
        double wall = clock.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["impl"] = "Wav2Vec2Sharp",
            ["mode"] = "long",
            ["arch"] = arch,
            ["threads"] = torch.get_num_threads(),
            ["audio_seconds"] = seconds,
            ["chunk_seconds"] = chunkSeconds,
            ["stride_seconds"] = transcriber.Chunking.EffectiveStrideSeconds,
            ["windows"] = ChunkPlanner.Plan(samples, config, transcriber.Chunking, 16000).Count,
            ["frames"] = result.Frames,
            ["logits_mb"] = Math.Round(result.Logits.Length * 4 / 1048576.0, 1),
            ["text_chars"] = result.Text.Length,
            ["wall_s"] = Math.Round(wall, 2),
            ["audio_s_per_s"] = Math.Round(seconds / wall, 2),
            ["peak_rss_mb_before"] = rssBefore / 1024,
            ["peak_rss_mb"] = Status("VmHWM") / 1024,
            ["loadavg"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : null,
        }));
    }

    /// <summary>Any range of the synthetic clip, computed from the sample index alone.</summary>
    private static void Synthesize(long offset, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            long n = offset + i;
            ulong h = (ulong)n * 0x9E3779B97F4A7C15UL;
            h ^= h >> 31;
            h *= 0xBF58476D1CE4E5B9UL;
            h ^= h >> 29;
            double noise = (h >> 11) / (double)(1UL << 53) * 2 - 1;
            destination[i] = (float)(0.1 * Math.Sin(2 * Math.PI * 220 * n / 16000.0) + 0.02 * noise);
        }
    }

    /// <summary>A kB value from <c>/proc/self/status</c> (0 where unavailable).</summary>
    internal static long Status(string key)
    {
        if (!File.Exists("/proc/self/status"))
            return 0;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }
}
