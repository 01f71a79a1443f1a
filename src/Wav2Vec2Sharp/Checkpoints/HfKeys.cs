namespace Wav2Vec2Sharp.Checkpoints;

/// <summary>How Hugging Face names wav2vec 2.0 tensors, and the renames between naming generations.</summary>
internal static class HfKeys
{
    /// <summary>HF <c>base_model_prefix</c>: head models keep the body under this prefix.</summary>
    public const string BodyPrefix = "wav2vec2.";

    private const string WeightNormGNew = ".parametrizations.weight.original0";
    private const string WeightNormVNew = ".parametrizations.weight.original1";
    private const string WeightNormGOld = ".weight_g";
    private const string WeightNormVOld = ".weight_v";

    /// <summary>Keys seen in some published checkpoints that no model uses; dropped on load (transformers #27605).</summary>
    public static bool IsLegacy(string key) => key.EndsWith("mask_time_emb_vector", StringComparison.Ordinal);

    /// <summary>Maps PyTorch's parametrized weight-norm names (<c>original0/1</c>) to the module's <c>weight_g/weight_v</c>.</summary>
    public static string ToModuleName(string key) =>
        key.EndsWith(WeightNormGNew, StringComparison.Ordinal) ? key[..^WeightNormGNew.Length] + WeightNormGOld
        : key.EndsWith(WeightNormVNew, StringComparison.Ordinal) ? key[..^WeightNormVNew.Length] + WeightNormVOld
        : key;

    /// <summary>Maps module names to the names current transformers writes (<c>parametrizations.weight.original0/1</c>).</summary>
    public static string ToCheckpointName(string key) =>
        key.EndsWith(WeightNormGOld, StringComparison.Ordinal) ? key[..^WeightNormGOld.Length] + WeightNormGNew
        : key.EndsWith(WeightNormVOld, StringComparison.Ordinal) ? key[..^WeightNormVOld.Length] + WeightNormVNew
        : key;
}
