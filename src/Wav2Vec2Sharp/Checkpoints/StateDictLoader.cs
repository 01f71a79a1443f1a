using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Checkpoints;

/// <summary>Which tensors a load may leave at their initial values.</summary>
public sealed record LoadOptions
{
    /// <summary>Strict HF-compatible loading: only <c>masked_spec_embed</c> may be absent (HF re-initialises it too).</summary>
    public static LoadOptions Strict { get; } = new();

    /// <summary>Tensors of the model whose names start with one of these are new: they keep the values the model was
    /// built with, whether the checkpoint lacks them or holds tensors of those names (e.g. <c>"lm_head."</c> when a CTC
    /// head is new, also over a fine-tuned model's own head, whatever its shape).</summary>
    public IReadOnlyList<string> NewTensorPrefixes { get; init; } = [];

    /// <summary>Checkpoint tensors whose names start with one of these are ignored when the model lacks them
    /// (e.g. the pretraining head when loading a CTC model).</summary>
    public IReadOnlyList<string> IgnoredTensorPrefixes { get; init; } = [];
}

/// <summary>Copies a checkpoint's tensors into a module whose fields follow the HF key names.</summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads <paramref name="tensors"/> into <paramref name="model"/>: weight-norm names are mapped, the
    /// <c>wav2vec2.</c> prefix is added or removed to fit the model, dtypes are converted to the model's. Missing,
    /// unexpected or mis-shaped tensors raise one <see cref="CheckpointException"/> that lists them all.
    /// </summary>
    /// <param name="model">The module to fill.</param>
    /// <param name="tensors">Checkpoint tensors by HF name (not disposed).</param>
    /// <param name="source">The checkpoint file, for messages.</param>
    /// <param name="options">What may be missing or ignored; <see cref="LoadOptions.Strict"/> by default.</param>
    public static void Load(nn.Module model, IReadOnlyDictionary<string, Tensor> tensors, string source, LoadOptions? options = null)
    {
        options ??= LoadOptions.Strict;
        var target = model.state_dict();
        bool modelHasPrefix = target.Keys.Any(k => k.StartsWith(HfKeys.BodyPrefix, StringComparison.Ordinal));
        bool checkpointHasPrefix = tensors.Keys.Any(k => k.StartsWith(HfKeys.BodyPrefix, StringComparison.Ordinal));

        var renamed = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in tensors)
        {
            if (HfKeys.IsLegacy(key))
                continue;
            var name = HfKeys.ToModuleName(key);
            if (modelHasPrefix && !checkpointHasPrefix)
                name = HfKeys.BodyPrefix + name; // a bare Wav2Vec2Model checkpoint loaded into a head model
            else if (!modelHasPrefix && checkpointHasPrefix)
            {
                if (!name.StartsWith(HfKeys.BodyPrefix, StringComparison.Ordinal))
                    continue; // a head model's checkpoint loaded into the bare body: the head is not wanted
                name = name[HfKeys.BodyPrefix.Length..];
            }
            if (!IsNew(name))
                renamed[name] = tensor;
        }

        bool IsNew(string key) => options.NewTensorPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));
        bool MayBeNew(string key) => key.EndsWith("masked_spec_embed", StringComparison.Ordinal) || IsNew(key);
        bool Ignored(string key) => options.IgnoredTensorPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

        var missing = target.Keys.Where(k => !renamed.ContainsKey(k) && !MayBeNew(k)).ToList();
        var unexpected = renamed.Keys.Where(k => !target.ContainsKey(k) && !Ignored(k)).ToList();
        var mismatched = renamed.Where(kv => target.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key} (checkpoint [{string.Join(", ", kv.Value.shape)}], model [{string.Join(", ", target[kv.Key].shape)}])")
            .ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
            throw new CheckpointException(Describe(source, missing, unexpected, mismatched));

        using var noGrad = no_grad();
        foreach (var (name, parameter) in target)
        {
            if (renamed.TryGetValue(name, out var value))
                parameter.copy_(value);
        }
    }

    private static string Describe(string source, List<string> missing, List<string> unexpected, List<string> mismatched)
    {
        var text = new StringBuilder($"{source}: the checkpoint does not fit the model");
        void List(string label, List<string> keys)
        {
            if (keys.Count == 0)
                return;
            text.Append($"; {keys.Count} {label}: ").Append(string.Join(", ", keys.Take(12)));
            if (keys.Count > 12)
                text.Append($", … ({keys.Count - 12} more)");
        }
        List("missing", missing);
        List("unexpected", unexpected);
        List("with the wrong shape", mismatched);
        return text.Append('.').ToString();
    }
}
