using Wav2Vec2Sharp.Configuration;

namespace Wav2Vec2Sharp.Tests.Support;

/// <summary>A small architecture in the style of HF's model tester: real 7-layer conv geometry, narrow widths.</summary>
internal static class TinyConfig
{
    public static Wav2Vec2Config Create(string norm = "group", bool stable = false, bool convBias = false) => new()
    {
        ConvDim = [16, 16, 16, 16, 16, 16, 16],
        HiddenSize = 24, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 48,
        NumConvPosEmbeddings = 16, NumConvPosEmbeddingGroups = 4,
        FeatExtractNorm = norm, DoStableLayerNorm = stable, ConvBias = convBias,
        NumCodevectorGroups = 2, NumCodevectorsPerGroup = 8, CodevectorDim = 16, ProjCodevectorDim = 12,
        VocabSize = 10,
        HiddenDropout = 0, AttentionDropout = 0, ActivationDropout = 0, FeatProjDropout = 0, FinalDropout = 0, Layerdrop = 0,
    };
}
