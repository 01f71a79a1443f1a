using TorchSharp;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Masking;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Models;

/// <summary>Public entry points release every tensor they create (TorchSharp dispose scopes), so long runs do not leak.</summary>
public sealed class LeakTests
{
    private static long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void Transcribing_repeatedly_leaves_no_tensor_behind()
    {
        using var model = new Wav2Vec2ForCtc(TinyConfig.Create());
        using var transcriber = new Transcriber(model, new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]),
            new FeatureExtractorConfig());
        var clip = SyntheticSpeech.Clip(8000, 1);
        transcriber.Transcribe(clip);

        long before = Live();
        for (int i = 0; i < 20; i++)
            transcriber.Transcribe(clip);

        Assert.Equal(before, Live());
    }

    [Fact]
    public void A_pretraining_step_in_a_scope_leaves_no_tensor_behind()
    {
        using var model = new Wav2Vec2ForPreTraining(TinyConfig.Create() with { MaskTimeProb = 0.65 });
        model.train();
        using var optimizer = new Wav2Vec2Sharp.Training.AdamW(model.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0);
        var batch = SyntheticBatches.Batch(2, 8000, 3);
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var input = tensor(batch.Samples).view(2, 8000);
            var mask = SpanMasker.Compute(2, model.Config.OutputLength(8000), null, 0.65, 5, 2);
            using var output = model.PretrainingLoss(input, null, mask, NegativeSampler.Sample(mask, 10), new PretrainingLossOptions());
            output.Loss.backward();
            optimizer.Step();
        }
        Step(); // optimizer state is created on the first step

        long before = Live();
        for (int i = 0; i < 20; i++)
            Step();

        Assert.Equal(before, Live());
    }
}
