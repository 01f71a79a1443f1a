using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Support;
using Wav2Vec2Sharp.Training;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Training;

public sealed class CnnFeatureCacheTests
{
    private static (Wav2Vec2ForCtc Model, List<float[]> Clips) Setup()
    {
        manual_seed(3);
        var model = new Wav2Vec2ForCtc(TinyConfig.Create() with { MaskTimeProb = 0.2 });
        model.eval();
        return (model, [SyntheticSpeech.Clip(6400, 1), SyntheticSpeech.Clip(4000, 2)]);
    }

    [Fact]
    public void Cached_features_give_the_logits_of_the_full_single_clip_forward()
    {
        var (model, clips) = Setup();
        using var _ = model;
        var cache = new CnnFeatureCache(model, clips);

        for (int i = 0; i < clips.Count; i++)
        {
            using var scope = NewDisposeScope();
            using var full = model.call(tensor(clips[i]).unsqueeze(0), null);
            var (features, mask) = cache.Batch([i]);
            using var cached = model.ForwardFeatures(features, mask, null, null, freezeBody: false);
            Assert.Equal(model.Config.OutputLength(clips[i].Length), cache.Frames(i));
            TensorAssert.Close(full.Logits, cached.Logits, new Tolerance(1e-6, 1e-6), $"clip {i}");
        }
    }

    [Fact]
    public void A_padded_batch_of_cached_features_equals_each_clip_alone_on_its_real_frames()
    {
        var (model, clips) = Setup();
        using var _ = model;
        var cache = new CnnFeatureCache(model, clips);
        using var scope = NewDisposeScope();

        var (features, mask) = cache.Batch([0, 1]);
        using var batch = model.ForwardFeatures(features, mask, null, null, freezeBody: false);

        Assert.Equal([cache.Frames(0), cache.Frames(1)], batch.FrameLengths.data<long>().ToArray().Select(x => (int)x));
        for (int i = 0; i < 2; i++)
        {
            var (single, singleMask) = cache.Batch([i]);
            using var alone = model.ForwardFeatures(single, singleMask, null, null, freezeBody: false);
            TensorAssert.Close(alone.Logits[0], batch.Logits[i, ..cache.Frames(i)], new Tolerance(2e-5, 1e-5), $"clip {i}");
        }
    }
}
