using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Masking;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Modules;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Modules;

public sealed class AutocastTests
{
    [Fact]
    public void Bf16_pretraining_loss_and_gradients_track_fp32()
    {
        manual_seed(3);
        using var model = new Wav2Vec2ForPreTraining(TinyConfig.Create() with { MaskTimeProb = 0.65 });
        model.eval(); // deterministic quantizer (argmax), no dropout
        var batch = SyntheticBatches.Batch(2, 8000, 4);
        using var input = tensor(batch.Samples).view(2, 8000);
        using var mask = SpanMasker.Compute(2, model.Config.OutputLength(8000), null, 0.65, 5, 2);
        using var negatives = NegativeSampler.Sample(mask, 10);
        var options = new PretrainingLossOptions { FeatureGradMult = 1.0 };

        (float Loss, Tensor Grad) Run(bool bf16)
        {
            model.zero_grad();
            using var precision = bf16 ? Autocast.Enable() : null;
            using var output = model.PretrainingLoss(input, null, mask, negatives, options);
            output.Loss.backward();
            return (output.Loss.item<float>(), model.named_parameters().First(p => p.name == "wav2vec2.encoder.layers.0.feed_forward.intermediate_dense.weight").parameter.grad!.clone());
        }

        var (loss32, grad32) = Run(bf16: false);
        var (loss16, grad16) = Run(bf16: true);

        Assert.Null(Autocast.ComputeDtype);
        Assert.InRange(loss16 / loss32, 0.98, 1.02);
        double cosine = (grad32 * grad16).sum().item<float>() / (grad32.norm().item<float>() * grad16.norm().item<float>());
        Assert.True(cosine > 0.98, $"gradient direction cosine {cosine:F4}");
        Assert.Equal(ScalarType.Float32, grad16.dtype);
    }
}
