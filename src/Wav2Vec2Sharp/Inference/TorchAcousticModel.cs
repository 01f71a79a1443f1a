using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Runtime;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Inference;

/// <summary>A TorchSharp <see cref="Wav2Vec2ForCtc"/> as the acoustic model of a <see cref="Transcriber"/>, run in inference mode on the model's device.</summary>
public sealed class TorchAcousticModel : IAcousticModel
{
    /// <summary>Wraps a model.</summary>
    /// <param name="model">The CTC model (switched to eval mode); disposed with this object.</param>
    public TorchAcousticModel(Wav2Vec2ForCtc model)
    {
        Model = model;
        model.eval();
    }

    /// <summary>The CTC model (move it with <c>Model.to(device)</c>; inputs follow it).</summary>
    public Wav2Vec2ForCtc Model { get; }

    /// <inheritdoc/>
    public Wav2Vec2Config Config => Model.Config;

    /// <inheritdoc/>
    public FrameLogits Run(float[] input) => Run(Model, input);

    /// <inheritdoc/>
    /// <remarks>
    /// Each clip's CNN runs on the clip alone (a group-norm CNN normalises over time, so padding would change it), then
    /// one Transformer pass takes the right-padded features <c>[B, T_max, C]</c> with the padded frames masked out of
    /// attention and the positional convolution.
    /// </remarks>
    public IReadOnlyList<FrameLogits> RunBatch(IReadOnlyList<float[]> inputs)
    {
        if (inputs.Count == 0)
            return [];
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var device = TorchRuntime.DeviceOf(Model);
        var features = inputs
            .Select(input => Model.Wav2Vec2.FeatureExtractor.call(tensor(input).unsqueeze(0).to(device))[0].transpose(0, 1)) // (1, C, T) -> (T, C)
            .ToList();
        long longest = features.Max(f => f.shape[0]);
        var padded = stack(features.Select(f => nn.functional.pad(f, [0, 0, 0, longest - f.shape[0]])).ToList()); // (B, T, C)
        var frameMask = stack(features.Select(f => HeldScalars.Range(longest, device).Below(f.shape[0])).ToList()); // (B, T)
        using var output = Model.ForwardFeatures(padded, frameMask, null, null, freezeBody: false);
        var logits = output.Logits.cpu().contiguous(); // (B, T, V)
        int vocab = (int)logits.shape[2];
        return features.Select((f, b) =>
        {
            int frames = (int)f.shape[0];
            return new FrameLogits(logits[b].narrow(0, 0, frames).contiguous().data<float>().ToArray(), frames, vocab);
        }).ToList();
    }

    /// <summary>Row-major frame logits <c>[frames, vocab]</c> of one prepared clip <c>[N]</c>, in inference mode on the model's device.</summary>
    internal static FrameLogits Run(Wav2Vec2ForCtc model, float[] input)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var values = tensor(input).unsqueeze(0).to(TorchRuntime.DeviceOf(model)); // (N) -> (1, N)
        using var output = model.call(values, null);
        var logits = output.Logits[0].cpu().contiguous(); // (T, V)
        return new FrameLogits(logits.data<float>().ToArray(), (int)logits.shape[0], (int)logits.shape[1]);
    }

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();
}
