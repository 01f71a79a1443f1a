namespace Wav2Vec2Sharp.Onnx.Export;

/// <summary>Settings of <see cref="OnnxExporter.Export"/>.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>fp32 or dynamic int8 linear layers.</summary>
    public OnnxWeights Weights { get; init; } = OnnxWeights.Float32;

    /// <summary>
    /// Whether the graph takes an <c>attention_mask</c> input <c>[batch, samples]</c> (int64) for right-padded
    /// batches; <c>null</c> follows the model directory's <c>preprocessor_config.json</c>
    /// (<c>return_attention_mask</c>: true for layer-norm models, false for group-norm "base" models, as in HF).
    /// </summary>
    public bool? AttentionMaskInput { get; init; }
}
