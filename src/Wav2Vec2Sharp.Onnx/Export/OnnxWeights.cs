namespace Wav2Vec2Sharp.Onnx.Export;

/// <summary>How the exported graph stores the weights of its linear layers.</summary>
public enum OnnxWeights
{
    /// <summary>Every weight in fp32, as the model holds them.</summary>
    Float32,

    /// <summary>
    /// The linear layers of the feature projection and the Transformer in int8 (symmetric, one scale per output
    /// channel) with activations quantized per call to uint8 — ONNX Runtime's dynamic quantization. The convolutions
    /// (CNN and positional) store int8 weights, one scale per output channel, turned back into fp32 when the session
    /// loads, so they compute in fp32 on fp32 activations. Norms, biases and the CTC head stay fp32.
    /// </summary>
    Int8,
}
