using TorchSharp;
using System.Diagnostics;
using System.Text.Json;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Distributed;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Masking;
using Wav2Vec2Sharp.Models;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Bench;

/// <summary>
/// Data-parallel costs under <c>mpirun -np N</c> (or alone, N = 1), one JSON line from rank 0 per measurement:
/// <list type="bullet">
/// <item>mode allreduce: <c>MPI_Allreduce</c> (sum, in place, fp32) of 4 KiB to 64 MiB and of one small-preset gradient
/// (4.6 M parameters) and one base gradient (95 M): median seconds per call, algorithm bandwidth (bytes / time) and bus
/// bandwidth (2 (N − 1) / N × bytes / time, the ring all-reduce's traffic per rank).</item>
/// <item>mode update: a real pretraining update per rank on a random batch of --batch × --seconds (span masks, 100
/// distractors, loss, backward), the bucketed gradient all-reduce, the gradient scaling and the AdamW step: median
/// seconds per update, the seconds the all-reduce took and the seconds the update waited for it. With --overlap on
/// (the default here; the trainers overlap on a GPU only unless told) each Transformer layer's gradients are reduced
/// while the backward pass goes on below it; off, after the backward pass.</item>
/// </list>
/// </summary>
internal static class DataParallelBench
{
    public static void Run(string mode, Wav2Vec2Config config, string arch, int batch, double seconds, int warmup, int repeats, bool overlap)
    {
        using var world = LaunchEnvironment.Communicator();
        if (mode == "allreduce")
            AllReduce(world, warmup, repeats);
        else
            Update(world, config, arch, batch, seconds, warmup, repeats, overlap);
        world.Barrier();
    }

    private static void AllReduce(ICommunicator world, int warmup, int repeats)
    {
        var sizes = new List<(string Name, long Floats)>();
        for (long bytes = 4096; bytes <= 64L << 20; bytes *= 4)
            sizes.Add(($"{bytes} B", bytes / 4));
        sizes.Add(("small gradient", Parameters(Presets.Small)));
        sizes.Add(("base gradient", Parameters(Presets.Base)));
        foreach (var (name, floats) in sizes)
        {
            var buffer = new float[floats];
            buffer.AsSpan().Fill(1f);
            var times = new List<double>();
            for (int i = 0; i < warmup + repeats; i++)
            {
                world.Barrier();
                var clock = Stopwatch.StartNew();
                world.AllReduceSum(buffer);
                if (i >= warmup)
                    times.Add(clock.Elapsed.TotalSeconds);
            }
            if (buffer[0] != MathF.Pow(world.Size, warmup + repeats))
                throw new InvalidOperationException($"all-reduce gave {buffer[0]}, not {MathF.Pow(world.Size, warmup + repeats)}");
            double median = Median(times), bytes = floats * 4.0;
            Emit(world, new()
            {
                ["mode"] = "allreduce", ["size"] = name, ["bytes"] = (long)bytes, ["repeats"] = repeats,
                ["median_s"] = median, ["min_s"] = times.Min(), ["max_s"] = times.Max(),
                ["algbw_GBps"] = bytes / median / 1e9, ["busbw_GBps"] = world.Size == 1 ? null : 2.0 * (world.Size - 1) / world.Size * bytes / median / 1e9,
            });
        }
    }

    private static void Update(ICommunicator world, Wav2Vec2Config config, string arch, int batch, double seconds, int warmup, int repeats, bool overlap)
    {
        manual_seed(1); // the same initial weights on every rank
        using var model = new Wav2Vec2ForPreTraining(config with { MaskTimeProb = 0.65 });
        model.train();
        var optimizer = new Wav2Vec2Sharp.Training.AdamW(model.parameters(), lr: 1e-5, beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.01);
        using var reducer = new GradientAllReducer(model.parameters(), world);
        if (overlap)
            reducer.OverlapWithBackward(model.Wav2Vec2.Encoder.Layers);
        int samples = (int)Math.Round(seconds * 16000);
        long frames = config.OutputLength(samples);
        manual_seed(100 + world.Rank); // each rank its own batch
        using var input = randn(batch, samples);
        var times = new List<double>();
        var reduceTimes = new List<double>();
        var waitTimes = new List<double>();
        int buckets = 0;
        for (int i = 0; i < warmup + repeats; i++)
        {
            world.Barrier();
            var clock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                var mask = SpanMasker.Compute(batch, frames, null, 0.65, 10, 2);
                var negatives = NegativeSampler.Sample(mask, 100);
                using var output = model.PretrainingLoss(input, null, mask, negatives, new PretrainingLossOptions());
                reducer.ArmForNextBackward();
                output.Loss.backward();
                reducer.Reduce();
                var masked = new double[] { output.MaskedFrames };
                world.AllReduceSum(masked);
                using (no_grad())
                {
                    foreach (var p in model.parameters())
                    {
                        using var scale = (1.0 / masked[0]).ToScalar();
                        p.grad?.mul_(scale);
                    }
                }
                optimizer.Step();
            }
            if (i >= warmup)
            {
                times.Add(clock.Elapsed.TotalSeconds);
                reduceTimes.Add(reducer.LastCommunicationSeconds);
                waitTimes.Add(reducer.LastSeconds);
                buckets = reducer.LastBucketCount;
            }
        }
        long parameters = model.parameters().Sum(p => p.numel());
        Emit(world, new()
        {
            ["mode"] = "update", ["arch"] = arch, ["parameters"] = parameters, ["gradient_bytes"] = parameters * 4,
            ["batch"] = batch, ["seconds"] = seconds, ["threads"] = get_num_threads(), ["repeats"] = repeats,
            ["times_s"] = times.Select(t => Math.Round(t, 4)).ToArray(),
            ["median_s"] = Median(times), ["min_s"] = times.Min(), ["max_s"] = times.Max(),
            ["allreduce_median_s"] = world.Size == 1 ? 0 : Median(reduceTimes), ["buckets"] = buckets,
            ["overlap"] = reducer.Overlaps, ["allreduce_wait_median_s"] = world.Size == 1 ? 0 : Median(waitTimes),
            ["audio_s_per_s"] = world.Size * batch * seconds / Median(times),
        });
    }

    private static long Parameters(Wav2Vec2Config config)
    {
        using var model = new Wav2Vec2ForPreTraining(config);
        return model.parameters().Sum(p => p.numel());
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Emit(ICommunicator world, Dictionary<string, object?> record)
    {
        if (world.Rank != 0)
            return;
        var line = new Dictionary<string, object?>
        {
            ["impl"] = "Wav2Vec2Sharp", ["transport"] = world.Size == 1 ? "none" : "Open MPI",
            ["world_size"] = world.Size, ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd"), ["host_cpu"] = CpuModel(),
        };
        foreach (var (key, value) in record)
            line[key] = value;
        Console.WriteLine(JsonSerializer.Serialize(line));
    }

    private static string? CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
}
