using System.Diagnostics;
using System.Text.Json;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Bench;

/// <summary>
/// Where the inference forward's time goes (mode profile): forward hooks time every CNN layer, the feature projection,
/// the positional convolution, each self-attention and feed-forward block and the CTC head; the rest of the encoder
/// (residual adds, layer norms) is the encoder's time minus its timed parts. Medians over --repeats forwards of one
/// random clip of --seconds after --warmup, one JSON line with seconds and shares per block.
/// </summary>
internal static class ForwardProfile
{
    public static void Run(Wav2Vec2Config config, string arch, double seconds, int warmup, int repeats)
    {
        using var model = new Wav2Vec2ForCtc(config);
        model.eval();
        var spans = new Dictionary<string, double>();
        var starts = new Dictionary<object, long>();
        void Begin(object module) => starts[module] = Stopwatch.GetTimestamp();
        void End(object module, string name) => spans[name] = spans.GetValueOrDefault(name) + Stopwatch.GetElapsedTime(starts[module]).TotalSeconds;

        int conv = 0;
        foreach (var (_, module) in model.named_modules())
        {
            switch (module)
            {
                case ConvLayerBlock layer:
                    string name = $"cnn_layer_{conv++}";
                    layer.register_forward_pre_hook((m, x) => { Begin(m); return x; });
                    layer.register_forward_hook((m, x, y) => { End(m, name); return y; });
                    break;
                case FeatureProjection projection:
                    projection.register_forward_pre_hook((m, x) => { Begin(m); return x; });
                    projection.register_forward_hook((m, x, y) => { End(m, "feature_projection"); return y; });
                    break;
                case PositionalConvEmbedding positional:
                    positional.register_forward_pre_hook((m, x) => { Begin(m); return x; });
                    positional.register_forward_hook((m, x, y) => { End(m, "positional_conv"); return y; });
                    break;
                case TransformerEncoder encoder:
                    encoder.register_forward_pre_hook((m, x, mask) => { Begin(m); return (x, mask); });
                    encoder.register_forward_hook((m, x, mask, y) => { End(m, "encoder_total"); return y; });
                    break;
                case SelfAttention attention:
                    attention.register_forward_pre_hook((m, x, mask) => { Begin(m); return (x, mask); });
                    attention.register_forward_hook((m, x, mask, y) => { End(m, "attention"); return y; });
                    break;
                case FeedForward feedForward:
                    feedForward.register_forward_pre_hook((m, x) => { Begin(m); return x; });
                    feedForward.register_forward_hook((m, x, y) => { End(m, "feed_forward"); return y; });
                    break;
            }
        }

        int samples = (int)Math.Round(seconds * 16000);
        using var input = randn(1, samples);
        var runs = new List<Dictionary<string, double>>();
        for (int i = 0; i < warmup + repeats; i++)
        {
            spans.Clear();
            var clock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            using (var mode = inference_mode())
            using (var output = model.call(input, null))
            {
            }
            spans["total"] = clock.Elapsed.TotalSeconds;
            if (i >= warmup)
                runs.Add(new Dictionary<string, double>(spans));
        }
        double Median(IEnumerable<double> values)
        {
            var s = values.Order().ToList();
            return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
        }
        var medians = runs[0].Keys.ToDictionary(k => k, k => Median(runs.Select(r => r[k])));
        double cnn = medians.Where(kv => kv.Key.StartsWith("cnn_layer_", StringComparison.Ordinal)).Sum(kv => kv.Value);
        medians["cnn_total"] = cnn;
        medians["encoder_norms_and_residuals"] = medians["encoder_total"] - medians["positional_conv"] - medians["attention"] - medians["feed_forward"];
        medians["head_and_glue"] = medians["total"] - cnn - medians["feature_projection"] - medians["encoder_total"];
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["impl"] = "Wav2Vec2Sharp", ["mode"] = "profile", ["arch"] = arch, ["seconds"] = seconds, ["threads"] = get_num_threads(),
            ["warmup"] = warmup, ["repeats"] = repeats, ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd"),
            ["median_s"] = medians.OrderByDescending(kv => kv.Value).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
            ["share"] = medians.Where(kv => kv.Key != "total").OrderByDescending(kv => kv.Value).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / medians["total"], 3)),
        }));
    }
}
