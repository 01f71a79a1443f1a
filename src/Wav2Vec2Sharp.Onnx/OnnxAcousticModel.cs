using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Onnx.Export;

namespace Wav2Vec2Sharp.Onnx;

/// <summary>
/// The acoustic model of a <see cref="Transcriber"/> run by ONNX Runtime's CPU provider: a model directory that holds
/// <c>model.onnx</c> (input <c>input_values</c> <c>[batch, samples]</c>, optional <c>attention_mask</c>, output
/// <c>logits</c> <c>[batch, frames, vocab_size]</c>, as <see cref="OnnxExporter"/> and HF optimum write it)
/// and <c>config.json</c>. Clips run one at a time, each exactly as alone.
/// </summary>
public sealed class OnnxAcousticModel : IAcousticModel
{
    /// <summary>The ONNX file name in a model directory.</summary>
    public const string FileName = "model.onnx";

    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string? _maskName;
    private readonly string _outputName;

    private OnnxAcousticModel(InferenceSession session, Wav2Vec2Config config, string path)
    {
        _session = session;
        Config = config;
        _inputName = session.InputMetadata.ContainsKey("input_values") ? "input_values"
            : throw new CheckpointException($"{path} has no input named input_values (inputs: {string.Join(", ", session.InputMetadata.Keys)}).");
        _maskName = session.InputMetadata.ContainsKey("attention_mask") ? "attention_mask" : null;
        _outputName = session.OutputMetadata.ContainsKey("logits") ? "logits"
            : throw new CheckpointException($"{path} has no output named logits (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        var dims = session.OutputMetadata[_outputName].Dimensions;
        if (dims.Length != 3 || (dims[2] > 0 && dims[2] != config.VocabSize))
            throw new CheckpointException($"{path}: logits have shape [{string.Join(", ", dims)}], but config.json's vocab_size is {config.VocabSize}.");
    }

    /// <inheritdoc/>
    public Wav2Vec2Config Config { get; }

    /// <summary>Whether the graph takes a sample mask.</summary>
    public bool HasAttentionMask => _maskName is not null;

    /// <summary>Whether <paramref name="directory"/> holds an ONNX model.</summary>
    public static bool IsOnnxDirectory(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>Opens <c>model.onnx</c> and <c>config.json</c> in <paramref name="directory"/>.</summary>
    /// <param name="directory">The ONNX model directory.</param>
    /// <param name="threads">Intra-op threads; 0 lets ONNX Runtime choose (one per physical core).</param>
    /// <exception cref="Wav2Vec2SharpException">A file is missing, the graph cannot be loaded, or it does not fit the configuration.</exception>
    public static OnnxAcousticModel Load(string directory, int threads = 0)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            throw new CheckpointException($"{directory} has no {FileName}.");
        var config = ModelDirectory.ReadConfig(directory);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new CheckpointException($"{path}: ONNX Runtime cannot load it: {e.Message}", e);
        }
        try
        {
            return new OnnxAcousticModel(session, config, path);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>A <see cref="Transcriber"/> on the ONNX model in <paramref name="directory"/> (vocab.json and
    /// preprocessor_config.json read from it as for the TorchSharp engine).</summary>
    public static Transcriber LoadTranscriber(string directory, Func<Vocabulary, ICtcDecoder>? decoderFactory = null, int threads = 0)
    {
        var model = Load(directory, threads);
        try
        {
            return Transcriber.Load(directory, model, decoderFactory);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public FrameLogits Run(float[] input)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor(_inputName, new DenseTensor<float>(input, [1, input.Length])) };
        if (_maskName is not null)
            inputs.Add(NamedOnnxValue.CreateFromTensor(_maskName, new DenseTensor<long>(Enumerable.Repeat(1L, input.Length).ToArray(), [1, input.Length])));
        using var results = _session.Run(inputs, [_outputName]);
        var logits = results[0].AsTensor<float>(); // (1, T, V)
        int frames = logits.Dimensions[1], vocab = logits.Dimensions[2];
        var values = logits is DenseTensor<float> dense ? dense.Buffer.ToArray() : logits.ToArray();
        return new FrameLogits(values, frames, vocab);
    }

    /// <inheritdoc/>
    /// <remarks>One clip at a time: a group-norm CNN normalises over time, so a padded batch would change its output.</remarks>
    public IReadOnlyList<FrameLogits> RunBatch(IReadOnlyList<float[]> inputs) => inputs.Select(Run).ToList();

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
    }

    private bool _disposed;
}
