// Speed of the wav2vec 2.0 forward pass (what `w2v transcribe` runs), in the same shape as
// ../shared/peer/bench_torchaudio.py so the two JSON lines can be compared side by side.
//   dotnet run -c Release --project bench/Wav2Vec2Sharp.Bench -- --seconds 10 --threads 2 --mode infer
// Modes: beam (CTC beam search + 4-gram LM on synthetic logits, see BeamBench.cs); infer (eval, inference mode, fp32); train (train mode, logits.sum() backward, as the torchaudio peer's
// train mode); pretrain (one real pretraining step: span masks, 100 distractors, contrastive + diversity + feature
// penalty loss, backward, AdamW update); pretrain-parts (the same step timed part by part, see PretrainParts.cs); long (a synthetic clip of --seconds through the chunked transcription path,
// windows of --chunk seconds, reporting wall time, audio-s/s and peak RSS; run once per length, e.g.
//   for s in 60 600 3600; do dotnet bench/.../Wav2Vec2Sharp.Bench.dll --mode long --arch small --seconds $s; done).
// allreduce and update (data-parallel costs, run under mpirun -np N; see DataParallelBench.cs and bench/run_data_parallel.sh).
// profile (the inference forward timed per block through forward hooks, see ForwardProfile.cs);
// collection (--clips random 2-10 s clips one at a time against TranscribeBatch with --batch per batch, see CollectionBench.cs);
// onnx (ONNX Runtime: --model PATH.onnx, e.g. the peer exported from torchaudio by ../shared/peer/export_onnx.py, or a model
// directory written by our exporter; --label names it in the JSON, see OnnxRuntimeBench.cs);
// onnx-export (a random --arch model exported by Wav2Vec2Sharp.Onnx to --model DIR/fp32 and DIR/int8, see OnnxExportBench.cs).
// serve-load (the built `w2v serve` under K concurrent clients, or --soak: a long run with bad requests mixed in and the
// server's RSS sampled; see ServeLoadBench.cs and bench/run_serve_load.sh).
// audio-load FILE (decoding one file to 16 kHz mono: time, allocated bytes, peak RSS, a hash of the samples; AudioLoadBench.cs).
// --arch small|base|large.
using Wav2Vec2Sharp.Runtime;
using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Models;
using static TorchSharp.torch;

int modeAt = Array.IndexOf(args, "--mode");
if (modeAt >= 0 && modeAt + 1 < args.Length && args[modeAt + 1] == "serve-load")
{
    Environment.ExitCode = Wav2Vec2Sharp.Bench.ServeLoadBench.Run(args.Where((_, i) => i != modeAt && i != modeAt + 1).ToArray());
    return;
}
if (modeAt >= 0 && modeAt + 1 < args.Length && args[modeAt + 1] == "audio-load")
{
    Environment.ExitCode = Wav2Vec2Sharp.Bench.AudioLoadBench.Run(args.Where((_, i) => i != modeAt && i != modeAt + 1).ToArray());
    return;
}
var options = Options.Parse(args);
if (options.Mode == "onnx")
{
    Wav2Vec2Sharp.Bench.OnnxRuntimeBench.Run(options.Model ?? "w2v_base.onnx", options.Label ?? "onnxruntime", options.Arch, options.Seconds, options.Threads,
        options.Warmup, options.Repeats, options.Seed);
    return;
}
if (options.Mode == "beam")
{
    BeamBench.Run(options);
    return;
}
TorchRuntime.SetThreads(options.Threads);
manual_seed(options.Seed);
var config = (options.Arch switch
{
    "small" => Presets.Small,
    "base" => Presets.Base,
    "large" => Presets.LargeLv60,
    _ => throw new ArgumentException($"unknown --arch {options.Arch}"),
}) with { VocabSize = options.Aux, Layerdrop = 0 };
if (options.Mode == "onnx-export")
{
    Wav2Vec2Sharp.Bench.OnnxExportBench.Run(config, options.Arch, options.Model ?? throw new ArgumentException("onnx-export needs --model DIR"));
    return;
}
if (options.Mode == "long")
{
    Wav2Vec2Sharp.Bench.LongAudio.Run(config, options.Arch, options.Seconds, options.Chunk);
    return;
}
if (options.Mode is "allreduce" or "update")
{
    Wav2Vec2Sharp.Bench.DataParallelBench.Run(options.Mode, config, options.Arch, options.Batch, options.Seconds, options.Warmup, options.Repeats, options.Overlap);
    return;
}
if (options.Mode == "profile")
{
    Wav2Vec2Sharp.Bench.ForwardProfile.Run(config, options.Arch, options.Seconds, options.Warmup, options.Repeats);
    return;
}
if (options.Mode == "collection")
{
    Wav2Vec2Sharp.Bench.CollectionBench.Run(config, options.Arch, options.Clips, options.Batch, options.Warmup, options.Repeats, options.Seed);
    return;
}
if (options.Mode == "pretrain-parts")
{
    Wav2Vec2Sharp.Bench.PretrainParts.Run(config, options.Arch, options.Batch, options.Seconds, options.Warmup, options.Repeats);
    return;
}
using var model = new Wav2Vec2ForCtc(config);
using var pretrainingModel = options.Mode == "pretrain" ? new Wav2Vec2ForPreTraining(config with { MaskTimeProb = 0.65 }) : null;
int samples = (int)Math.Round(options.Seconds * 16000);
using var input = randn(options.Batch, samples);

Action step;
if (options.Mode == "infer")
{
    model.eval();
    step = () =>
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        using var output = model.call(input, null);
    };
}
else if (options.Mode == "train")
{
    model.train();
    step = () =>
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        using var output = model.call(input, null);
        output.Logits.sum().backward();
    };
}
else if (options.Mode == "pretrain")
{
    var pretraining = pretrainingModel!;
    pretraining.train();
    var optimizer = new Wav2Vec2Sharp.Training.AdamW(pretraining.parameters(), lr: 1e-4, beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.01);
    long frames = config.OutputLength(samples);
    step = () =>
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var mask = Wav2Vec2Sharp.Masking.SpanMasker.Compute(options.Batch, frames, null, 0.65, 10, 2);
        var negatives = Wav2Vec2Sharp.Masking.NegativeSampler.Sample(mask, 100);
        using var output = pretraining.PretrainingLoss(input, null, mask, negatives, new Wav2Vec2Sharp.Losses.PretrainingLossOptions());
        output.Loss.backward();
        optimizer.Step();
    };
}
else
    throw new ArgumentException($"unknown --mode {options.Mode}");

bool finite;
using (var check = inference_mode())
using (var output = model.call(input, null))
    finite = output.Logits.isfinite().all().item<bool>(); // guards against timing a NaN/denormal slow path
for (int i = 0; i < options.Warmup; i++)
    step();
var times = new List<double>();
for (int i = 0; i < options.Repeats; i++)
{
    var clock = Stopwatch.StartNew();
    step();
    times.Add(clock.Elapsed.TotalSeconds);
}
var sorted = times.Order().ToList();
double median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
double audioSeconds = options.Batch * samples / 16000.0;
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
{
    ["impl"] = "Wav2Vec2Sharp",
    ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString(),
    ["threads"] = get_num_threads(),
    ["mode"] = options.Mode,
    ["arch"] = options.Arch,
    ["aux"] = options.Aux,
    ["seconds"] = options.Seconds,
    ["batch"] = options.Batch,
    ["frames"] = config.OutputLength(samples),
    ["parameters"] = (pretrainingModel ?? (nn.Module)model).parameters().Sum(p => p.numel()),
    ["warmup"] = options.Warmup,
    ["repeats"] = options.Repeats,
    ["times_s"] = times.Select(t => Math.Round(t, 4)).ToArray(),
    ["median_s"] = median,
    ["min_s"] = sorted[0],
    ["rtf"] = audioSeconds / median,
    ["logits_finite"] = finite,
    ["loadavg"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : null,
}));

internal sealed record Options(double Seconds, int Batch, int Threads, string Mode, string Arch, int Aux, int Warmup, int Repeats, int Seed, double Chunk, string? Model,
    int Clips, string? Label, bool Overlap)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"expected --name value pairs, got {args[i]}");
            values[args[i][2..]] = args[i + 1];
        }
        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        return new Options(double.Parse(Get("seconds", "10"), System.Globalization.CultureInfo.InvariantCulture), int.Parse(Get("batch", "1")),
            int.Parse(Get("threads", "2")), Get("mode", "infer"), Get("arch", "base"), int.Parse(Get("aux", "32")),
            int.Parse(Get("warmup", "1")), int.Parse(Get("repeats", "5")), int.Parse(Get("seed", "0")),
            double.Parse(Get("chunk", "30"), System.Globalization.CultureInfo.InvariantCulture), values.GetValueOrDefault("model"),
            int.Parse(Get("clips", "16")), values.GetValueOrDefault("label"), Get("overlap", "on") switch
            {
                "on" => true,
                "off" => false,
                var other => throw new ArgumentException($"--overlap takes on or off, not {other}"),
            });
    }
}
