namespace Wav2Vec2Sharp.Configuration;

/// <summary>The published wav2vec 2.0 geometries, as torchaudio-style named factories. Vary them with <c>with</c>.</summary>
public static class Presets
{
    /// <summary>BASE (95 M): 7-layer group-norm CNN, post-LN encoder of 12 × 768 (FFN 3072, 12 heads), 2 × 320 codebooks of 256.</summary>
    public static Wav2Vec2Config Base => new()
    {
        Architectures = ["Wav2Vec2ForPreTraining"],
        HiddenDropout = 0.1, AttentionDropout = 0.1, ActivationDropout = 0.0, FeatProjDropout = 0.1,
        FeatQuantizerDropout = 0.1, FinalDropout = 0.0, Layerdrop = 0.05,
    };

    /// <summary>LARGE trained on LibriVox 60k (317 M): layer-norm CNN with bias, stable-layer-norm encoder of 24 × 1024 (FFN 4096, 16 heads), codebooks of 768.</summary>
    public static Wav2Vec2Config LargeLv60 => Base with
    {
        HiddenSize = 1024, NumHiddenLayers = 24, NumAttentionHeads = 16, IntermediateSize = 4096,
        FeatExtractNorm = "layer", ConvBias = true, DoStableLayerNorm = true,
        CodevectorDim = 768, ProjCodevectorDim = 768,
        HiddenDropout = 0.0, AttentionDropout = 0.0, FeatProjDropout = 0.0, FeatQuantizerDropout = 0.0, Layerdrop = 0.0,
    };

    /// <summary>XLS-R 300 M: the large geometry with the XLS-R dropouts (0.1) and layerdrop 0.1.</summary>
    public static Wav2Vec2Config XlsR300M => LargeLv60 with
    {
        HiddenDropout = 0.1, AttentionDropout = 0.1, FeatProjDropout = 0.1, Layerdrop = 0.1, MaskTimeProb = 0.075,
    };

    /// <summary>
    /// SMALL (≈ 4.6 M): a 256-wide CNN and 4 × 256 post-LN encoder (FFN 1024, 4 heads) with 2 × 64 codebooks, sized to
    /// pretrain in minutes to hours on a 2-core CPU. Not a published model.
    /// </summary>
    public static Wav2Vec2Config Small => Base with
    {
        ConvDim = [256, 256, 256, 256, 256, 256, 256],
        HiddenSize = 256, NumHiddenLayers = 4, NumAttentionHeads = 4, IntermediateSize = 1024,
        NumConvPosEmbeddings = 64, NumConvPosEmbeddingGroups = 16,
        NumCodevectorsPerGroup = 64, CodevectorDim = 128, ProjCodevectorDim = 128,
        MaskTimeProb = 0.65, Layerdrop = 0.0, FeatQuantizerDropout = 0.0,
    };

    /// <summary>
    /// The names of the presets, the one registry that the library's recipes (<c>PretrainingOptions.ForPreset</c>) and
    /// the command line (<c>--preset</c>, <c>--from-scratch</c>) share.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = ["small", "base", "large", "xls-r-300m"];

    /// <summary>
    /// The name in <see cref="Names"/> that <paramref name="name"/> means: case and surrounding spaces ignored, "xlsr"
    /// accepted for "xls-r-300m".
    /// </summary>
    /// <exception cref="ConfigException">Unknown name; the message lists the known ones.</exception>
    public static string CanonicalName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        if (key == "xlsr")
            return "xls-r-300m";
        return Names.Contains(key) ? key
            : throw new ConfigException($"unknown preset \"{name}\" (use {string.Join(", ", Names.Take(Names.Count - 1))} or {Names[^1]}).");
    }

    /// <summary>The preset called <paramref name="name"/> (see <see cref="CanonicalName"/>).</summary>
    /// <exception cref="ConfigException">Unknown name.</exception>
    public static Wav2Vec2Config ByName(string name) => CanonicalName(name) switch
    {
        "small" => Small,
        "base" => Base,
        "large" => LargeLv60,
        _ => XlsR300M,
    };
}
