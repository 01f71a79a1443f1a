using Wav2Vec2Sharp.Models;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// The frozen feature encoder's output for every clip, computed once, one clip at a time (so no clip's GroupNorm sees
/// another's padding, exactly as in single-clip inference). While the CNN is frozen, fine-tuning reads batches from here
/// instead of running the CNN, which is most of the small models' compute.
/// </summary>
public sealed class CnnFeatureCache
{
    private readonly float[][] _features;
    private readonly int[] _frames;

    /// <summary>Runs the CNN of <paramref name="model"/> over <paramref name="clips"/> in inference mode.</summary>
    /// <param name="model">The model whose (frozen) feature encoder is used.</param>
    /// <param name="clips">Prepared audio at 16 kHz (normalised when the model expects it).</param>
    /// <param name="progress">Told after each clip how many are done.</param>
    public CnnFeatureCache(Wav2Vec2ForCtc model, IReadOnlyList<float[]> clips, IProgress<CountProgress>? progress = null)
    {
        Channels = model.Config.ConvDim[^1];
        _features = new float[clips.Count][];
        _frames = new int[clips.Count];
        bool training = model.training;
        model.eval();
        var device = Runtime.TorchRuntime.DeviceOf(model);
        for (int i = 0; i < clips.Count; i++)
        {
            using var scope = NewDisposeScope();
            using var mode = inference_mode();
            var features = model.Wav2Vec2.FeatureExtractor.call(tensor(clips[i]).unsqueeze(0).to(device)); // (1, N) -> (1, C, T)
            var frames = features[0].transpose(0, 1).cpu().contiguous(); // (C, T) -> (T, C)
            _frames[i] = (int)frames.shape[0];
            _features[i] = frames.data<float>().ToArray();
            progress?.Report(new CountProgress(i + 1, clips.Count));
        }
        model.train(training);
    }

    /// <summary>Feature channels (the last conv layer's width).</summary>
    public int Channels { get; }

    /// <summary>Clips in the cache.</summary>
    public int Count => _features.Length;

    /// <summary>Frames of clip <paramref name="index"/>.</summary>
    public int Frames(int index) => _frames[index];

    /// <summary>
    /// The features of the clips at <paramref name="indices"/>, right-padded with zeros: features <c>[B, T, C]</c> and the
    /// real-frame mask <c>[B, T]</c> (bool), in the current dispose scope.
    /// </summary>
    public (Tensor Features, Tensor FrameMask) Batch(IReadOnlyList<int> indices)
    {
        int longest = indices.Max(i => _frames[i]);
        var data = new float[indices.Count * longest * Channels];
        var mask = new bool[indices.Count * longest];
        for (int b = 0; b < indices.Count; b++)
        {
            int i = indices[b];
            _features[i].CopyTo(data, b * longest * Channels);
            Array.Fill(mask, true, b * longest, _frames[i]);
        }
        return (tensor(data, [indices.Count, longest, Channels]), tensor(mask, [indices.Count, longest]));
    }
}
