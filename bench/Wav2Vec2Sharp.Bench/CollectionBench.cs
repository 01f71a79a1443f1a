using System.Diagnostics;
using System.Text.Json;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Models;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Bench;

/// <summary>
/// Transcribing a collection (mode collection): --clips random clips of 2 to 10 s (seeded), one at a time
/// (<see cref="Transcriber.Transcribe(ReadOnlySpan{float})"/>) against <see cref="Transcriber.TranscribeBatch"/> with
/// --batch clips per Transformer batch, alternating for --repeats rounds after a warm-up; one JSON line with both
/// throughputs in audio-seconds per second, their medians and spread.
/// </summary>
internal static class CollectionBench
{
    public static void Run(Wav2Vec2Config config, string arch, int clipCount, int batchSize, int warmup, int repeats, int seed)
    {
        manual_seed(seed);
        var vocabulary = new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", .. Enumerable.Range(0, config.VocabSize - 5).Select(i => ((char)('A' + i % 26)).ToString() + (i / 26 == 0 ? "" : (i / 26).ToString()))]);
        using var transcriber = new Transcriber(new Wav2Vec2ForCtc(config), vocabulary, new FeatureExtractorConfig { DoNormalize = true });
        var random = new Random(seed);
        var clips = Enumerable.Range(0, clipCount)
            .Select(_ => Enumerable.Range(0, 16000 * random.Next(2, 11)).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToList();
        double audio = clips.Sum(c => c.Length) / 16000.0;
        double OneAtATime()
        {
            var clock = Stopwatch.StartNew();
            foreach (var clip in clips)
                transcriber.Transcribe(clip);
            return clock.Elapsed.TotalSeconds;
        }
        double Batched()
        {
            var clock = Stopwatch.StartNew();
            transcriber.TranscribeBatch(clips, batchSize);
            return clock.Elapsed.TotalSeconds;
        }
        for (int i = 0; i < warmup; i++)
        {
            OneAtATime();
            Batched();
        }
        var single = new List<double>();
        var batched = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            if (i % 2 == 0)
            {
                single.Add(OneAtATime());
                batched.Add(Batched());
            }
            else
            {
                batched.Add(Batched());
                single.Add(OneAtATime());
            }
        }
        double Median(List<double> v)
        {
            var s = v.Order().ToList();
            return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
        }
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["impl"] = "Wav2Vec2Sharp", ["mode"] = "collection", ["arch"] = arch, ["threads"] = get_num_threads(), ["clips"] = clipCount,
            ["audio_seconds"] = audio, ["batch_size"] = batchSize, ["warmup"] = warmup, ["repeats"] = repeats,
            ["one_at_a_time_s"] = single.Select(t => Math.Round(t, 3)).ToArray(), ["batched_s"] = batched.Select(t => Math.Round(t, 3)).ToArray(),
            ["one_at_a_time_audio_s_per_s"] = audio / Median(single), ["batched_audio_s_per_s"] = audio / Median(batched),
            ["speedup"] = Median(single) / Median(batched), ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd"),
            ["loadavg"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : null,
        }));
    }
}
