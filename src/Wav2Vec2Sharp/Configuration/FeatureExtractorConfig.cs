using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wav2Vec2Sharp.Configuration;

/// <summary>
/// How raw audio becomes model input: the Hugging Face <c>preprocessor_config.json</c> of a
/// <c>Wav2Vec2FeatureExtractor</c>. Unknown keys are kept in <see cref="ExtensionData"/>.
/// </summary>
public sealed record FeatureExtractorConfig
{
    /// <summary>HF <c>feature_extractor_type</c>.</summary>
    public string FeatureExtractorType { get; init; } = "Wav2Vec2FeatureExtractor";

    /// <summary>Channels per sample; always 1.</summary>
    public int FeatureSize { get; init; } = 1;

    /// <summary>Sample rate the model expects, in Hz.</summary>
    public int SamplingRate { get; init; } = 16000;

    /// <summary>Value used to pad shorter clips in a batch.</summary>
    public double PaddingValue { get; init; }

    /// <summary>Side on which clips are padded ("right").</summary>
    public string PaddingSide { get; init; } = "right";

    /// <summary>Whether each utterance is normalised to zero mean and unit variance before padding.</summary>
    public bool DoNormalize { get; init; } = true;

    /// <summary>Whether a sample-level attention mask is passed with padded batches ("layer"-norm models).</summary>
    public bool ReturnAttentionMask { get; init; }

    /// <summary>Keys this type does not model; written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; init; }

    /// <summary>The configuration HF's conversion script writes for a model: normalise, and pass a mask only to "layer"-norm models.</summary>
    public static FeatureExtractorConfig For(Wav2Vec2Config model) => new() { ReturnAttentionMask = model.FeatExtractNorm == "layer" };

    /// <summary>Checks the values and throws <see cref="ConfigException"/> naming the first bad one.</summary>
    public FeatureExtractorConfig Validate(string source = "preprocessor_config.json")
    {
        if (SamplingRate <= 0)
            throw new ConfigException($"{source}: sampling_rate must be positive, got {SamplingRate}.");
        if (FeatureSize != 1)
            throw new ConfigException($"{source}: feature_size is {FeatureSize}, but wav2vec 2.0 reads one channel of raw audio.");
        return this;
    }
}
