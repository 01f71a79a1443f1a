using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Models;

using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Configuration;

public sealed class Wav2Vec2ConfigTests
{
    private static string HfConfig(string name) => Path.Combine(SharedReference.Directory, "hf-configs", name);

    [Fact]
    public void Base_config_builds_the_three_models_with_the_published_parameter_counts()
    {
        var config = ConfigJson.ReadModelConfig(HfConfig("wav2vec2-base.json"));

        using var body = new Wav2Vec2Model(config);
        using var ctc = new Wav2Vec2ForCtc(config);
        using var pretraining = new Wav2Vec2ForPreTraining(config);

        Assert.Equal(94_371_712, Count(body));
        Assert.Equal(94_396_320, Count(ctc));
        Assert.Equal(95_044_608, Count(pretraining));
    }

    [Theory]
    [InlineData("wav2vec2-base.json")]
    [InlineData("wav2vec2-base-960h.json")]
    [InlineData("wav2vec2-large-960h-lv60-self.json")]
    [InlineData("wav2vec2-xls-r-300m.json")]
    public void Every_reference_config_builds_a_model_whose_size_follows_from_its_geometry(string file)
    {
        var config = ConfigJson.ReadModelConfig(HfConfig(file));

        using var model = new Wav2Vec2ForCtc(config);

        Assert.Equal(ExpectedCtcParameters(config), Count(model));
        Assert.Equal(320, config.InputsToLogitsRatio);
        Assert.Equal(400, config.ReceptiveField);
    }

    [Fact]
    public void Large_and_xlsr_configs_select_layer_norm_extractor_and_stable_encoder()
    {
        var large = ConfigJson.ReadModelConfig(HfConfig("wav2vec2-large-960h-lv60-self.json"));
        var xlsr = ConfigJson.ReadModelConfig(HfConfig("wav2vec2-xls-r-300m.json"));

        Assert.All([large, xlsr], c => Assert.Equal(("layer", true, true, 1024, 24), (c.FeatExtractNorm, c.DoStableLayerNorm, c.ConvBias, c.HiddenSize, c.NumHiddenLayers)));
        Assert.Equal(768, xlsr.CodevectorDim);
    }

    [Theory]
    [InlineData(400, 1)]
    [InlineData(399, 0)]
    [InlineData(16000, 49)]
    [InlineData(11000, 34)]
    [InlineData(160000, 499)]
    [InlineData(0, 0)]
    public void Output_length_follows_the_conv_formula(long samples, long frames) =>
        Assert.Equal(frames, Presets.Base.OutputLength(samples));

    [Fact]
    public void Unknown_keys_survive_a_round_trip()
    {
        var text = File.ReadAllText(HfConfig("wav2vec2-base.json"));

        var config = ConfigJson.ParseModelConfig(text);
        var written = JsonNode.Parse(ConfigJson.ToJson(config))!.AsObject();

        var original = JsonNode.Parse(text)!.AsObject();
        foreach (var (key, value) in original)
            Assert.True(JsonNode.DeepEquals(value, written[key]), $"{key}: {value} became {written[key]}");
        Assert.Equal("static", written["mask_time_selection"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"conv_dim\": [512, 512], \"conv_kernel\": [10, 3, 3], \"conv_stride\": [5, 2, 2], \"num_feat_extract_layers\": 3}",
        "conv_dim, conv_kernel and conv_stride must have the same non-zero length, got 2, 3 and 3")]
    [InlineData("{\"hidden_size\": 100}", "hidden_size 100 is not divisible by num_attention_heads 12")]
    [InlineData("{\"feat_extract_norm\": \"batch\"}", "feat_extract_norm is \"batch\", expected \"group\" or \"layer\"")]
    [InlineData("{\"hidden_act\": \"tanh\"}", "hidden_act \"tanh\" is not supported")]
    [InlineData("{\"layerdrop\": 1.5}", "layerdrop must lie in [0, 1], got 1.5")]
    [InlineData("{\"hidden_size\": \"big\"}", "invalid value (key hidden_size)")]
    [InlineData("{\"hidden_size\": 768,", "invalid JSON")]
    [InlineData("{\"model_type\": \"hubert\"}", "model_type is \"hubert\", expected \"wav2vec2\"")]
    public void Invalid_configs_are_rejected_with_the_field_named(string json, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigJson.ParseModelConfig(json, "my/config.json"));

        Assert.StartsWith("my/config.json: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_missing_config_file_is_reported_by_path()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigJson.ReadModelConfig("/no/such/config.json"));

        Assert.Equal("/no/such/config.json: file not found.", error.Message);
    }

    private static long Count(TorchSharp.torch.nn.Module model) => model.parameters().Sum(p => p.numel());

    // Independent arithmetic over the geometry (weights + biases of every block).
    private static long ExpectedCtcParameters(Wav2Vec2Config c)
    {
        long total = 0, inChannels = 1;
        for (int i = 0; i < c.ConvDim.Count; i++)
        {
            total += c.ConvDim[i] * inChannels * c.ConvKernel[i] + (c.ConvBias ? c.ConvDim[i] : 0);
            if (c.FeatExtractNorm == "layer" || i == 0)
                total += 2L * c.ConvDim[i];
            inChannels = c.ConvDim[i];
        }
        long d = c.HiddenSize, f = c.IntermediateSize;
        total += 2 * inChannels + inChannels * d + d;                                            // feature projection
        total += (c.MaskTimeProb > 0 || c.MaskFeatureProb > 0) ? d : 0;                          // masked_spec_embed
        total += c.NumConvPosEmbeddings + d * (d / c.NumConvPosEmbeddingGroups) * c.NumConvPosEmbeddings + d; // g, v, bias
        total += 2 * d;                                                                          // encoder layer_norm
        total += c.NumHiddenLayers * (4 * (d * d + d) + 2 * (2 * d) + (d * f + f) + (f * d + d)); // layers
        return total + c.VocabSize * d + c.VocabSize;                                            // lm_head
    }
}
