using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Wav2Vec2Sharp.Bench;

/// <summary>
/// Mode onnx: an ONNX model — the peer, the base geometry exported from torchaudio by ../shared/peer/export_onnx.py, or
/// a directory our exporter wrote (fp32 or int8) — run by ONNX Runtime's CPU provider with the session settings of
/// Wav2Vec2Sharp.Onnx's engine (all graph optimisations, --threads intra-op threads, sequential) on one random clip of
/// --seconds; one JSON line in the shape of the other modes.
/// </summary>
internal static class OnnxRuntimeBench
{
    public static void Run(string modelPath, string label, string arch, double seconds, int threads, int warmup, int repeats, int seed)
    {
        if (Directory.Exists(modelPath))
            modelPath = Path.Combine(modelPath, "model.onnx");
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        using var session = new InferenceSession(modelPath, options);
        int samples = (int)Math.Round(seconds * 16000);
        var random = new Random(seed);
        var audio = new DenseTensor<float>(Enumerable.Range(0, samples).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), [1, samples]);
        var inputName = session.InputMetadata.Keys.First();
        long frames = 0;
        double Step()
        {
            var clock = Stopwatch.StartNew();
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, audio)]);
            frames = results.First().AsTensor<float>().Dimensions[1];
            return clock.Elapsed.TotalSeconds;
        }
        for (int i = 0; i < warmup; i++)
            Step();
        var times = Enumerable.Range(0, repeats).Select(_ => Step()).ToList();
        var sorted = times.Order().ToList();
        double median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["impl"] = label,
            ["onnxruntime"] = typeof(InferenceSession).Assembly.GetName().Version?.ToString(),
            ["threads"] = threads, ["mode"] = "infer", ["arch"] = arch, ["seconds"] = seconds, ["batch"] = 1, ["frames"] = frames,
            ["warmup"] = warmup, ["repeats"] = repeats,
            ["times_s"] = times.Select(t => Math.Round(t, 4)).ToArray(),
            ["median_s"] = median, ["min_s"] = sorted[0], ["rtf"] = seconds / median,
            ["loadavg"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : null,
        }));
    }
}
