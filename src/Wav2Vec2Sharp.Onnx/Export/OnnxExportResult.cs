namespace Wav2Vec2Sharp.Onnx.Export;

/// <summary>What <see cref="OnnxExporter.Export"/> wrote.</summary>
/// <param name="Directory">The output model directory.</param>
/// <param name="ModelPath">Its <c>model.onnx</c>.</param>
/// <param name="ModelBytes">Size of <c>model.onnx</c>.</param>
/// <param name="Float32WeightBytes">Size of the model's weights in fp32, for comparison.</param>
/// <param name="QuantizedLinears">Linear layers stored in int8 (0 for an fp32 export).</param>
/// <param name="AttentionMaskInput">Whether the graph has the <c>attention_mask</c> input.</param>
/// <param name="QuantizedConvolutions">Convolutions whose weights are stored in int8 (0 for an fp32 export).</param>
public sealed record OnnxExportResult(string Directory, string ModelPath, long ModelBytes, long Float32WeightBytes, int QuantizedLinears,
    bool AttentionMaskInput, int QuantizedConvolutions);
