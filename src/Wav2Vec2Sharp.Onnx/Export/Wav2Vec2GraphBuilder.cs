using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Onnx.Protobuf;
using static TorchSharp.torch;
using static Wav2Vec2Sharp.Onnx.Protobuf.OnnxAttribute;

namespace Wav2Vec2Sharp.Onnx.Export;

/// <summary>
/// Writes <see cref="Wav2Vec2ForCtc"/>'s inference forward pass as ONNX opset 17 nodes, layer by layer as the
/// TorchSharp modules compute it: conv stack (InstanceNormalization is the one-group-per-channel GroupNorm),
/// feature projection, optional frame mask from a sample mask, weight-normalised positional convolution (its
/// effective weight folded), post-LN or stable-LN Transformer layers, and the CTC head. Linear layers become MatMul
/// + Add on the transposed weight, or with int8 weights the node chain ONNX Runtime's dynamic quantizer writes.
/// </summary>
internal sealed class Wav2Vec2GraphBuilder
{
    private readonly OnnxGraph _graph = new("wav2vec2_ctc");
    private readonly Wav2Vec2Config _config;
    private readonly Dictionary<string, Tensor> _weights;
    private readonly bool _int8;

    public Wav2Vec2GraphBuilder(Wav2Vec2ForCtc model, bool int8)
    {
        _config = model.Config;
        _weights = model.state_dict();
        _int8 = int8;
    }

    /// <summary>Linear layers written with int8 weights.</summary>
    public int QuantizedLinears { get; private set; }

    /// <summary>Convolutions (CNN layers and the positional convolution) whose weights are stored in int8.</summary>
    public int QuantizedConvolutions { get; private set; }

    /// <summary>Bytes of weights in the graph.</summary>
    public long WeightBytes => _graph.InitializerBytes;

    /// <summary>
    /// The graph: input <c>input_values</c> <c>[batch, samples]</c> (float), optionally <c>attention_mask</c>
    /// <c>[batch, samples]</c> (int64, 1 = real sample); output <c>logits</c> <c>[batch, frames, vocab_size]</c>.
    /// </summary>
    public OnnxGraph Build(bool attentionMaskInput)
    {
        var input = _graph.Input("input_values", OnnxType.Float, "batch", "samples");
        var x = _graph.Node("Unsqueeze", [input, _graph.Longs("axes_1", 1)], "waveform"); // (B, N) -> (B, 1, N)
        for (int i = 0; i < _config.ConvDim.Count; i++)
            x = ConvBlock(i, x);
        var features = Transpose(x, "features", 0, 2, 1); // (B, C, T) -> (B, T, C)
        var hidden = Linear("wav2vec2.feature_projection.projection", LayerNorm("wav2vec2.feature_projection.layer_norm", features), quantize: true);

        string? attentionBias = null;
        if (attentionMaskInput)
        {
            var mask = _graph.Input("attention_mask", OnnxType.Int64, "batch", "samples");
            var frameMask = FrameMask(mask, hidden); // (B, T) float, 1 = real frame
            hidden = _graph.Node("Mul", [hidden, _graph.Node("Unsqueeze", [frameMask, _graph.Longs("axes_2", 2)], "frame_mask_3d")], "masked_hidden");
            var blocked = _graph.Node("Sub", [frameMask, _graph.Scalar("one", 1f)], "blocked"); // 0 real, -1 padded
            attentionBias = _graph.Node("Unsqueeze", [_graph.Node("Mul", [blocked, _graph.Scalar("large", float.MaxValue)], "bias_2d"),
                _graph.Longs("axes_1_2", 1, 2)], "attention_bias"); // (B, T) -> (B, 1, 1, T)
        }

        hidden = _graph.Node("Add", [hidden, PositionalConv(hidden)], "with_positions");
        if (!_config.DoStableLayerNorm)
            hidden = LayerNorm("wav2vec2.encoder.layer_norm", hidden);
        for (int i = 0; i < _config.NumHiddenLayers; i++)
            hidden = EncoderLayer($"wav2vec2.encoder.layers.{i}", hidden, attentionBias);
        if (_config.DoStableLayerNorm)
            hidden = LayerNorm("wav2vec2.encoder.layer_norm", hidden);
        var logits = Linear("lm_head", hidden, quantize: false);
        _graph.Output(logits, "logits", OnnxType.Float, "batch", "frames", (long)_config.VocabSize);
        return _graph;
    }

    private string ConvBlock(int index, string x)
    {
        var prefix = $"wav2vec2.feature_extractor.conv_layers.{index}";
        string[] inputs = _config.ConvBias
            ? [ConvWeight($"{prefix}.conv.weight", _weights[$"{prefix}.conv.weight"]), Weight($"{prefix}.conv.bias")]
            : [ConvWeight($"{prefix}.conv.weight", _weights[$"{prefix}.conv.weight"])];
        var y = _graph.Node("Conv", [x, .. inputs], $"conv{index}",
            Of("kernel_shape", [(long)_config.ConvKernel[index]]), Of("strides", [(long)_config.ConvStride[index]])); // (B, C_in, L) -> (B, C_out, L')
        if (_config.FeatExtractNorm == "layer")
            y = Transpose(LayerNorm($"{prefix}.layer_norm", Transpose(y, $"conv{index}_t", 0, 2, 1)), $"conv{index}_ln", 0, 2, 1);
        else if (index == 0)
            y = _graph.Node("InstanceNormalization", [y, Weight($"{prefix}.layer_norm.weight"), Weight($"{prefix}.layer_norm.bias")],
                "conv0_gn", Of("epsilon", (float)_config.LayerNormEps));
        return Activation(_config.FeatExtractActivation, y);
    }

    // Frames of each clip by the conv formula, floor((L - k) / s) + 1 clamped at 0, written as max(L - k + s, 0) / s
    // so that ONNX's truncating integer division floors.
    private string FrameMask(string sampleMask, string hidden)
    {
        var lengths = _graph.Node("ReduceSum", [sampleMask, _graph.Longs("axes_1", 1)], "sample_lengths", Of("keepdims", 0L)); // (B)
        for (int i = 0; i < _config.ConvKernel.Count; i++)
        {
            var shifted = _graph.Node("Add", [lengths, _graph.Longs($"stride_minus_kernel_{i}", _config.ConvStride[i] - _config.ConvKernel[i])], "shifted");
            var clamped = _graph.Node("Max", [shifted, _graph.Longs("zero", 0)], "clamped");
            lengths = _graph.Node("Div", [clamped, _graph.Longs($"stride_{i}", _config.ConvStride[i])], $"frame_lengths_{i}");
        }
        var frames = _graph.Node("Squeeze", [_graph.Node("Shape", [hidden], "frames_1d", Of("start", 1L), Of("end", 2L)), _graph.Longs("axes_0", 0)], "frames");
        var positions = _graph.Node("Range", [_graph.Initializer("zero_scalar", new long[] { 0 }), frames, _graph.Initializer("one_scalar", new long[] { 1 })], "positions");
        var real = _graph.Node("Less", [_graph.Node("Unsqueeze", [positions, _graph.Longs("axes_0", 0)], "positions_row"),
            _graph.Node("Unsqueeze", [lengths, _graph.Longs("axes_1", 1)], "lengths_column")], "frame_mask_bool"); // (1, T) < (B, 1)
        return _graph.Node("Cast", [real], "frame_mask", Of("to", (long)OnnxType.Float));
    }

    private string PositionalConv(string hidden)
    {
        const string prefix = "wav2vec2.encoder.pos_conv_embed.conv";
        var v = _weights[$"{prefix}.weight_v"];
        var g = _weights[$"{prefix}.weight_g"];
        using var weight = v * (g / v.mul(v).sum([0, 1], keepdim: true).sqrt()); // weight norm over the kernel axis, folded
        int kernel = _config.NumConvPosEmbeddings;
        var y = _graph.Node("Conv", [Transpose(hidden, "pos_in", 0, 2, 1), ConvWeight($"{prefix}.weight", weight), Weight($"{prefix}.bias")], "pos_conv",
            Of("kernel_shape", [(long)kernel]), Of("pads", [kernel / 2L, kernel / 2L]), Of("group", (long)_config.NumConvPosEmbeddingGroups));
        if (kernel % 2 == 0) // SamePad: drop the last frame
            y = _graph.Node("Slice", [y, _graph.Longs("zero", 0), _graph.Longs("minus_one", -1), _graph.Longs("axes_2", 2)], "pos_same_pad");
        return Transpose(Activation(_config.FeatExtractActivation, y), "positions", 0, 2, 1);
    }

    private string EncoderLayer(string prefix, string x, string? attentionBias)
    {
        if (_config.DoStableLayerNorm)
        {
            var y = _graph.Node("Add", [x, Attention($"{prefix}.attention", LayerNorm($"{prefix}.layer_norm", x), attentionBias)], "attended");
            return _graph.Node("Add", [y, FeedForward($"{prefix}.feed_forward", LayerNorm($"{prefix}.final_layer_norm", y))], "layer_out");
        }
        var z = LayerNorm($"{prefix}.layer_norm", _graph.Node("Add", [x, Attention($"{prefix}.attention", x, attentionBias)], "attended"));
        return LayerNorm($"{prefix}.final_layer_norm", _graph.Node("Add", [z, FeedForward($"{prefix}.feed_forward", z)], "ffn_residual"));
    }

    private string Attention(string prefix, string x, string? attentionBias)
    {
        long heads = _config.NumAttentionHeads, headSize = _config.HiddenSize / _config.NumAttentionHeads;
        var headShape = _graph.Longs("head_shape", 0, 0, heads, headSize);
        string Heads(string projection, float scale, params long[] perm) =>
            Transpose(_graph.Node("Reshape", [Linear($"{prefix}.{projection}", x, quantize: true, scale), headShape], projection + "_heads"), projection + "_t", perm);
        var q = Heads("q_proj", 1f / MathF.Sqrt(headSize), 0, 2, 1, 3); // (B, T, C) -> (B, H, T, D), scaled as in SDPA
        var k = Heads("k_proj", 1f, 0, 2, 3, 1); // (B, T, C) -> (B, H, D, T)
        var v = Heads("v_proj", 1f, 0, 2, 1, 3);
        var scores = _graph.Node("MatMul", [q, k], "scores"); // (B, H, T, T)
        if (attentionBias is not null)
            scores = _graph.Node("Add", [scores, attentionBias], "masked_scores");
        var probabilities = _graph.Node("Softmax", [scores], "attention", Of("axis", -1L));
        var context = Transpose(_graph.Node("MatMul", [probabilities, v], "context"), "context_t", 0, 2, 1, 3); // (B, T, H, D)
        var merged = _graph.Node("Reshape", [context, _graph.Longs("merged_shape", 0, 0, _config.HiddenSize)], "context_merged");
        return Linear($"{prefix}.out_proj", merged, quantize: true);
    }

    private string FeedForward(string prefix, string x) =>
        Linear($"{prefix}.output_dense", Activation(_config.HiddenAct, Linear($"{prefix}.intermediate_dense", x, quantize: true)), quantize: true);

    // y = x Wᵀ + b with W [out, in]; the weight is stored transposed, [in, out], as MatMul wants it. With int8 weights:
    // per-output-channel symmetric int8 weights, activations quantized to uint8 per call (DynamicQuantizeLinear), an
    // integer MatMul, then the two scales — ONNX Runtime fuses the chain into one DynamicQuantizeMatMul kernel.
    private string Linear(string prefix, string x, bool quantize, float scale = 1f)
    {
        // Scaled in managed arrays: TorchSharp 0.107 may free an implicit Scalar (as in tensor.mul(float)) from the GC
        // finalizer while libtorch still reads it, and the exporter allocates enough to make that happen.
        using var transposed = _weights[$"{prefix}.weight"].t().to_type(ScalarType.Float32).contiguous(); // (out, in) -> (in, out)
        long[] shape = transposed.shape;
        var weight = Scaled(transposed.data<float>().ToArray(), scale);
        using var biasValues = _weights[$"{prefix}.bias"].to_type(ScalarType.Float32).contiguous();
        var bias = Scaled(biasValues.data<float>().ToArray(), scale);
        string product;
        if (_int8 && quantize)
        {
            var (values, scales) = Int8Weights.PerOutputChannel(weight, (int)shape[0], (int)shape[1]);
            var quantized = _graph.Initializer($"{prefix}.weight_quantized", values, shape);
            var zeroPoints = _graph.Initializer($"{prefix}.weight_zero_point", new sbyte[shape[1]], shape[1]);
            var weightScales = _graph.Initializer($"{prefix}.weight_scale", scales, scales.Length);
            var dynamic = _graph.Node("DynamicQuantizeLinear", [x], ["x_quantized", "x_scale", "x_zero_point"]);
            var integer = _graph.Node("MatMulInteger", [dynamic[0], quantized, dynamic[2], zeroPoints], "product_int32");
            var asFloat = _graph.Node("Cast", [integer], "product_float", Of("to", (long)OnnxType.Float));
            product = _graph.Node("Mul", [asFloat, _graph.Node("Mul", [dynamic[1], weightScales], "output_scale")], "product");
            QuantizedLinears++;
        }
        else
            product = _graph.Node("MatMul", [x, _graph.Initializer($"{prefix}.weight", weight, shape)], "product");
        return _graph.Node("Add", [product, _graph.Initializer($"{prefix}.bias", bias, bias.Length)], prefix.Split('.')[^1]);
    }

    private static float[] Scaled(float[] values, float scale)
    {
        if (scale != 1f)
        {
            for (int i = 0; i < values.Length; i++)
                values[i] *= scale;
        }
        return values;
    }

    private string LayerNorm(string prefix, string x) =>
        _graph.Node("LayerNormalization", [x, Weight($"{prefix}.weight"), Weight($"{prefix}.bias")], "layer_norm",
            Of("axis", -1L), Of("epsilon", (float)_config.LayerNormEps));

    private string Activation(string name, string x) => name switch
    {
        "gelu" => Gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" => TanhGelu(x),
        "relu" => _graph.Node("Relu", [x], "relu"),
        "silu" or "swish" => _graph.Node("Mul", [x, _graph.Node("Sigmoid", [x], "sigmoid")], "silu"),
        _ => throw new ConfigException($"activation \"{name}\" cannot be exported; supported: {Activations.SupportedNames}."),
    };

    // 0.5 · x · (1 + erf(x / √2)), in the node order ONNX Runtime's Gelu fusion recognises.
    private string Gelu(string x)
    {
        var erf = _graph.Node("Erf", [_graph.Node("Div", [x, _graph.Scalar("sqrt_2", MathF.Sqrt(2f))], "gelu_div")], "gelu_erf");
        var product = _graph.Node("Mul", [x, _graph.Node("Add", [erf, _graph.Scalar("one", 1f)], "gelu_add")], "gelu_mul");
        return _graph.Node("Mul", [product, _graph.Scalar("half", 0.5f)], "gelu");
    }

    // 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))
    private string TanhGelu(string x)
    {
        var cube = _graph.Node("Mul", [x, _graph.Node("Mul", [x, x], "gelu_square")], "gelu_cube");
        var inner = _graph.Node("Add", [x, _graph.Node("Mul", [cube, _graph.Scalar("gelu_c", 0.044715f)], "gelu_cubic")], "gelu_inner");
        var tanh = _graph.Node("Tanh", [_graph.Node("Mul", [inner, _graph.Scalar("sqrt_2_over_pi", MathF.Sqrt(2f / MathF.PI))], "gelu_scaled")], "gelu_tanh");
        var product = _graph.Node("Mul", [x, _graph.Node("Add", [tanh, _graph.Scalar("one", 1f)], "gelu_add")], "gelu_mul");
        return _graph.Node("Mul", [product, _graph.Scalar("half", 0.5f)], "gelu");
    }

    // A conv weight [out, in, kernel]: fp32, or with int8 weights stored per output channel in int8 and turned back into
    // fp32 by DequantizeLinear (the activations stay fp32: quantizing the raw waveform would cost accuracy, and the
    // int8 storage is what makes the file about four times smaller, as most of a small model's weights are its CNN's).
    private string ConvWeight(string name, Tensor weight)
    {
        if (!_int8)
            return Weight(name, weight);
        using var contiguous = weight.detach().cpu().to_type(ScalarType.Float32).contiguous();
        int rows = (int)contiguous.shape[0];
        var (values, scales) = Int8Weights.PerRow(contiguous.data<float>().ToArray(), rows, (int)(contiguous.NumberOfElements / rows));
        var quantized = _graph.Initializer($"{name}_quantized", values, contiguous.shape);
        QuantizedConvolutions++;
        return _graph.Node("DequantizeLinear", [quantized, _graph.Initializer($"{name}_scale", scales, rows),
            _graph.Initializer($"{name}_zero_point", new sbyte[rows], rows)], name, Of("axis", 0L));
    }

    private string Transpose(string x, string hint, params long[] perm) => _graph.Node("Transpose", [x], hint, Of("perm", perm));

    private string Weight(string key) => Weight(key, _weights[key]);

    private string Weight(string name, Tensor value)
    {
        using var contiguous = value.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return _graph.Initializer(name, contiguous.data<float>().ToArray(), contiguous.shape);
    }
}
