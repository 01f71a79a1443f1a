using Wav2Vec2Sharp.Runtime;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Models;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Parity;

/// <summary>
/// Block-by-block parity with torchaudio 0.13.1 (the independent implementation) on random-weight models of all
/// four extractor/encoder combinations, with and without conv bias, loaded from both weight file formats.
/// </summary>
public sealed class TorchaudioParityTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var variant in ParityFixture.Variants)
        foreach (var file in new[] { "model.safetensors", "pytorch_model.bin" })
        foreach (var input in new[] { "single", "batch" })
            data.Add(variant, file, input);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_block_matches_torchaudio(string variant, string weightsFile, string input)
    {
        using var scope = NewDisposeScope();
        using var fixture = new ParityFixture(variant);
        using var model = LoadCtc(fixture.Directory, weightsFile);
        using var mode = inference_mode();
        var values = fixture.Input($"{input}.input_values");
        var attentionMask = input == "batch" ? fixture.Input("batch.attention_mask") : null;
        var body = model.Wav2Vec2;

        var conv = body.FeatureExtractor.call(values);
        fixture.AssertClose($"{input}.feature_extractor", conv);
        var (projected, normalized) = body.FeatureProjection.call(conv.transpose(1, 2));
        fixture.AssertClose($"{input}.extract_features", normalized);
        fixture.AssertClose($"{input}.feature_projection", projected);

        var frameMask = attentionMask is null ? null : body.FrameMask(attentionMask, projected.shape[1]);
        var zeroed = frameMask is null ? projected : projected.masked_fill(frameMask.logical_not().unsqueeze(-1), HeldScalars.Zero);
        fixture.AssertClose($"{input}.pos_conv_embed", body.Encoder.PositionalEmbedding.call(zeroed));

        var layers = new List<Tensor>();
        var hidden = body.Encoder.Run(projected, frameMask, layers);
        for (int i = 0; i < layers.Count; i++)
            fixture.AssertClose($"{input}.encoder.layers.{i}", layers[i]);
        fixture.AssertClose($"{input}.last_hidden_state", hidden);

        using var output = model.call(values, attentionMask);
        fixture.AssertClose($"{input}.logits", output.Logits);
        if (input == "batch")
            fixture.AssertClose("batch.output_lengths", output.FrameLengths);
    }

    [Theory]
    [InlineData("single")]
    [InlineData("batch")]
    public void Pretraining_head_matches_an_independent_quantizer(string input)
    {
        using var scope = NewDisposeScope();
        using var fixture = new ParityFixture("pretraining_group_postln");
        using var model = Wav2Vec2Pretrained.LoadForPreTraining(fixture.Directory);
        using var mode = inference_mode();
        var attentionMask = input == "batch" ? fixture.Input("batch.attention_mask") : null;

        using var output = model.call(fixture.Input($"{input}.input_values"), attentionMask);
        fixture.AssertClose($"{input}.projected_states", output.ProjectedStates);
        fixture.AssertClose($"{input}.projected_quantized_states", output.ProjectedQuantizedStates);
        fixture.AssertClose($"{input}.codevector_idx", output.CodevectorIndices);
        fixture.AssertClose($"{input}.codevector_perplexity", output.CodevectorPerplexity);
    }

    internal static Wav2Vec2ForCtc LoadCtc(string directory, string weightsFile)
    {
        var config = ConfigJson.ReadModelConfig(Path.Combine(directory, "config.json"));
        var model = new Wav2Vec2ForCtc(config);
        var path = Path.Combine(directory, weightsFile);
        var tensors = weightsFile.EndsWith(".bin", StringComparison.Ordinal) ? PyTorchBinFile.Read(path) : SafetensorsFile.Read(path);
        StateDictLoader.Load(model, tensors, path);
        foreach (var t in tensors.Values)
            t.Dispose();
        model.eval();
        return model;
    }
}
