using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wav2Vec2Sharp.Configuration;

/// <summary>
/// The architecture of a wav2vec 2.0 model, field for field the Hugging Face <c>Wav2Vec2Config</c>
/// (<c>config.json</c>, snake_case keys, HF defaults). Keys this type does not know are kept in
/// <see cref="ExtensionData"/> and written back unchanged. Training-only settings that HF keeps here
/// (dropouts, masking, loss weights) are read and preserved too.
/// </summary>
public sealed record Wav2Vec2Config
{
    /// <summary>HF <c>model_type</c>; always "wav2vec2".</summary>
    public string ModelType { get; init; } = "wav2vec2";

    /// <summary>HF <c>architectures</c>: the head class(es) the checkpoint was saved from, e.g. "Wav2Vec2ForCTC".</summary>
    public List<string>? Architectures { get; init; }

    /// <summary>Transformer width d (HF <c>hidden_size</c>, fairseq <c>encoder_embed_dim</c>). Base 768, large 1024.</summary>
    public int HiddenSize { get; init; } = 768;

    /// <summary>Number of Transformer layers (HF <c>num_hidden_layers</c>, fairseq <c>encoder_layers</c>).</summary>
    public int NumHiddenLayers { get; init; } = 12;

    /// <summary>Attention heads per layer (HF <c>num_attention_heads</c>, fairseq <c>encoder_attention_heads</c>).</summary>
    public int NumAttentionHeads { get; init; } = 12;

    /// <summary>Feed-forward inner width (HF <c>intermediate_size</c>, fairseq <c>encoder_ffn_embed_dim</c>).</summary>
    public int IntermediateSize { get; init; } = 3072;

    /// <summary>Activation of the Transformer feed-forward block: "gelu" (exact erf GELU), "gelu_new", "relu" or "silu".</summary>
    public string HiddenAct { get; init; } = "gelu";

    /// <summary>Dropout after attention, feed-forward and positional embedding (fairseq <c>dropout</c>).</summary>
    public double HiddenDropout { get; init; } = 0.1;

    /// <summary>Dropout inside the feed-forward block, after the activation.</summary>
    public double ActivationDropout { get; init; } = 0.1;

    /// <summary>Dropout on the attention probabilities.</summary>
    public double AttentionDropout { get; init; } = 0.1;

    /// <summary>Dropout after the feature projection (fairseq <c>dropout_input</c>).</summary>
    public double FeatProjDropout { get; init; }

    /// <summary>Dropout on the quantizer input (fairseq <c>dropout_features</c>).</summary>
    public double FeatQuantizerDropout { get; init; }

    /// <summary>Dropout before the CTC head.</summary>
    public double FinalDropout { get; init; } = 0.1;

    /// <summary>Probability of skipping a whole Transformer layer in training (LayerDrop).</summary>
    public double Layerdrop { get; init; } = 0.1;

    /// <summary>Standard deviation of the normal initialisation of Linear weights.</summary>
    public double InitializerRange { get; init; } = 0.02;

    /// <summary>Epsilon of every LayerNorm and GroupNorm.</summary>
    public double LayerNormEps { get; init; } = 1e-5;

    /// <summary>"group" (GroupNorm on the first conv layer only; base) or "layer" (LayerNorm after every conv layer; large-LV60, XLS-R).</summary>
    public string FeatExtractNorm { get; init; } = "group";

    /// <summary>Activation of the conv feature encoder.</summary>
    public string FeatExtractActivation { get; init; } = "gelu";

    /// <summary>Output channels of each conv layer of the feature encoder.</summary>
    public List<int> ConvDim { get; init; } = [512, 512, 512, 512, 512, 512, 512];

    /// <summary>Stride of each conv layer; their product is the samples per output frame (320).</summary>
    public List<int> ConvStride { get; init; } = [5, 2, 2, 2, 2, 2, 2];

    /// <summary>Kernel width of each conv layer.</summary>
    public List<int> ConvKernel { get; init; } = [10, 3, 3, 3, 3, 2, 2];

    /// <summary>Whether the conv layers have a bias (true for large-LV60 and XLS-R).</summary>
    public bool ConvBias { get; init; }

    /// <summary>Number of conv layers; must equal the length of the three conv lists.</summary>
    public int NumFeatExtractLayers { get; init; } = 7;

    /// <summary>Kernel width of the positional convolution (fairseq <c>conv_pos</c>).</summary>
    public int NumConvPosEmbeddings { get; init; } = 128;

    /// <summary>Groups of the positional convolution (fairseq <c>conv_pos_groups</c>).</summary>
    public int NumConvPosEmbeddingGroups { get; init; } = 16;

    /// <summary>true: pre-LN "stable layer norm" encoder (large-LV60, XLS-R); false: post-LN encoder (base).</summary>
    public bool DoStableLayerNorm { get; init; }

    /// <summary>Whether time/feature masking is applied in training.</summary>
    public bool ApplySpecAugment { get; init; } = true;

    /// <summary>Span-start rate times span length for time masking (an upper bound on the masked fraction).</summary>
    public double MaskTimeProb { get; init; } = 0.05;

    /// <summary>Length of each masked time span, in frames.</summary>
    public int MaskTimeLength { get; init; } = 10;

    /// <summary>Minimum number of masked time spans per utterance.</summary>
    public int MaskTimeMinMasks { get; init; } = 2;

    /// <summary>As <see cref="MaskTimeProb"/>, over the hidden channels.</summary>
    public double MaskFeatureProb { get; init; }

    /// <summary>Length of each masked channel span.</summary>
    public int MaskFeatureLength { get; init; } = 10;

    /// <summary>Minimum number of masked channel spans.</summary>
    public int MaskFeatureMinMasks { get; init; }

    /// <summary>Quantizer codebooks G.</summary>
    public int NumCodevectorGroups { get; init; } = 2;

    /// <summary>Entries per quantizer codebook V.</summary>
    public int NumCodevectorsPerGroup { get; init; } = 320;

    /// <summary>Width of a quantized vector (all groups concatenated).</summary>
    public int CodevectorDim { get; init; } = 256;

    /// <summary>Width of the space where context and quantized vectors are compared (fairseq <c>final_dim</c>).</summary>
    public int ProjCodevectorDim { get; init; } = 256;

    /// <summary>Distractors per masked frame in the contrastive loss (K).</summary>
    public int NumNegatives { get; init; } = 100;

    /// <summary>Temperature κ dividing the cosine similarities.</summary>
    public double ContrastiveLogitsTemperature { get; init; } = 0.1;

    /// <summary>Weight α of the diversity loss.</summary>
    public double DiversityLossWeight { get; init; } = 0.1;

    /// <summary>"sum" or "mean" reduction of the CTC loss.</summary>
    public string CtcLossReduction { get; init; } = "sum";

    /// <summary>Whether infinite CTC losses (impossible alignments) are zeroed.</summary>
    public bool CtcZeroInfinity { get; init; }

    /// <summary>Output classes of the CTC head.</summary>
    public int VocabSize { get; init; } = 32;

    /// <summary>Index of the padding token, which is also the CTC blank.</summary>
    public int PadTokenId { get; init; }

    /// <summary>Index of the begin-of-sentence token.</summary>
    public int? BosTokenId { get; init; } = 1;

    /// <summary>Index of the end-of-sentence token.</summary>
    public int? EosTokenId { get; init; } = 2;

    /// <summary>Whether HF's adapter stack follows the encoder (not supported by this library).</summary>
    public bool AddAdapter { get; init; }

    /// <summary>HF <c>torch_dtype</c> of the saved weights, e.g. "float32".</summary>
    public string? TorchDtype { get; init; }

    /// <summary>HF <c>transformers_version</c> that wrote the file.</summary>
    public string? TransformersVersion { get; init; }

    /// <summary>Keys of <c>config.json</c> that this type does not model; written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; init; }

    /// <summary>Samples per output frame: the product of the conv strides (HF <c>inputs_to_logits_ratio</c>; 320).</summary>
    [JsonIgnore]
    public int InputsToLogitsRatio => ConvStride.Aggregate(1, (product, stride) => product * stride);

    /// <summary>Samples seen by one output frame (400 for the standard encoder); shorter input yields no frame.</summary>
    [JsonIgnore]
    public int ReceptiveField
    {
        get
        {
            int receptive = 1, jump = 1;
            for (int i = 0; i < ConvKernel.Count; i++)
            {
                receptive += (ConvKernel[i] - 1) * jump;
                jump *= ConvStride[i];
            }
            return receptive;
        }
    }

    /// <summary>
    /// Frames produced from <paramref name="inputLength"/> samples: L ← floor((L − kernel) / stride) + 1 per conv
    /// layer, clamped at 0 (HF <c>_get_feat_extract_output_lengths</c>).
    /// </summary>
    public long OutputLength(long inputLength)
    {
        long length = inputLength;
        for (int i = 0; i < ConvKernel.Count; i++)
            length = length < ConvKernel[i] ? 0 : (length - ConvKernel[i]) / ConvStride[i] + 1;
        return length;
    }

    /// <summary>Checks the configuration and throws <see cref="ConfigException"/> naming the first bad field.</summary>
    /// <param name="source">The file the configuration came from, used in the message.</param>
    public Wav2Vec2Config Validate(string source = "config")
    {
        void Fail(string problem) => throw new ConfigException($"{source}: {problem}.");

        if (ModelType != "wav2vec2")
            Fail($"model_type is \"{ModelType}\", expected \"wav2vec2\"");
        if (ConvDim.Count == 0 || ConvDim.Count != ConvKernel.Count || ConvDim.Count != ConvStride.Count)
            Fail($"conv_dim, conv_kernel and conv_stride must have the same non-zero length, got {ConvDim.Count}, {ConvKernel.Count} and {ConvStride.Count}");
        if (NumFeatExtractLayers != ConvDim.Count)
            Fail($"num_feat_extract_layers is {NumFeatExtractLayers} but conv_dim has {ConvDim.Count} entries");
        if (ConvDim.Concat(ConvKernel).Concat(ConvStride).Any(v => v <= 0))
            Fail("conv_dim, conv_kernel and conv_stride must be positive");
        if (FeatExtractNorm is not ("group" or "layer"))
            Fail($"feat_extract_norm is \"{FeatExtractNorm}\", expected \"group\" or \"layer\"");
        if (HiddenSize <= 0 || NumHiddenLayers < 0 || NumAttentionHeads <= 0 || IntermediateSize <= 0)
            Fail("hidden_size, num_attention_heads and intermediate_size must be positive and num_hidden_layers not negative");
        if (HiddenSize % NumAttentionHeads != 0)
            Fail($"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        if (NumConvPosEmbeddings <= 0 || NumConvPosEmbeddingGroups <= 0 || HiddenSize % NumConvPosEmbeddingGroups != 0)
            Fail($"hidden_size {HiddenSize} is not divisible by num_conv_pos_embedding_groups {NumConvPosEmbeddingGroups}");
        if (NumCodevectorGroups <= 0 || NumCodevectorsPerGroup <= 0 || CodevectorDim % NumCodevectorGroups != 0)
            Fail($"codevector_dim {CodevectorDim} is not divisible by num_codevector_groups {NumCodevectorGroups}");
        if (ProjCodevectorDim <= 0)
            Fail($"proj_codevector_dim must be positive, got {ProjCodevectorDim}");
        if (!Activations.IsSupported(HiddenAct))
            Fail($"hidden_act \"{HiddenAct}\" is not supported (use {Activations.SupportedNames})");
        if (!Activations.IsSupported(FeatExtractActivation))
            Fail($"feat_extract_activation \"{FeatExtractActivation}\" is not supported (use {Activations.SupportedNames})");
        foreach (var (name, value) in new[]
                 {
                     ("hidden_dropout", HiddenDropout), ("activation_dropout", ActivationDropout),
                     ("attention_dropout", AttentionDropout), ("feat_proj_dropout", FeatProjDropout),
                     ("feat_quantizer_dropout", FeatQuantizerDropout), ("final_dropout", FinalDropout),
                     ("layerdrop", Layerdrop), ("mask_time_prob", MaskTimeProb), ("mask_feature_prob", MaskFeatureProb),
                 })
        {
            if (!(value >= 0 && value <= 1))
                Fail($"{name} must lie in [0, 1], got {value}");
        }
        if (VocabSize <= 0 || PadTokenId < 0 || PadTokenId >= VocabSize)
            Fail($"pad_token_id {PadTokenId} must index the vocabulary of vocab_size {VocabSize}");
        if (CtcLossReduction is not ("sum" or "mean"))
            Fail($"ctc_loss_reduction is \"{CtcLossReduction}\", expected \"sum\" or \"mean\"");
        if (AddAdapter)
            Fail("add_adapter is true, but adapter layers (used by speech encoder-decoder models) are not supported");
        return this;
    }
}
