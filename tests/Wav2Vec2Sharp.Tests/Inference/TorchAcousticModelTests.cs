using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Inference;

/// <summary>The TorchSharp acoustic model gives each clip of a padded batch the logits it gets alone.</summary>
public sealed class TorchAcousticModelTests
{
    private static TorchAcousticModel Create()
    {
        TorchSharp.torch.manual_seed(5);
        return new TorchAcousticModel(new Wav2Vec2ForCtc(TinyConfig.Create("group")));
    }

    [Fact]
    public void RunBatch_gives_each_clip_its_own_Run_logits()
    {
        using var model = Create();
        float[][] clips = [SyntheticSpeech.Clip(16000, 1), SyntheticSpeech.Clip(8000, 2), SyntheticSpeech.Clip(27200, 3)];
        var alone = clips.Select(model.Run).ToList();

        var together = model.RunBatch(clips);

        Assert.Equal(clips.Length, together.Count);
        for (int i = 0; i < clips.Length; i++)
        {
            Assert.Equal(model.Config.OutputLength(clips[i].Length), together[i].Frames);
            Assert.Equal(alone[i].Frames, together[i].Frames);
            Assert.Equal(alone[i].VocabSize, together[i].VocabSize);
            Assert.Equal(alone[i].Values.Length, together[i].Values.Length);
            float worst = alone[i].Values.Zip(together[i].Values, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-4f, $"clip {i}: max |Δ logit| {worst:E2}");
        }
    }

    [Fact]
    public void A_transcriber_built_on_a_Wav2Vec2ForCtc_runs_it_through_a_TorchAcousticModel_in_eval_mode()
    {
        TorchSharp.torch.manual_seed(5);
        var model = new Wav2Vec2ForCtc(TinyConfig.Create("group"));
        model.train();

        using var transcriber = new Transcriber(model, new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]),
            new FeatureExtractorConfig());

        Assert.Same(model, Assert.IsType<TorchAcousticModel>(transcriber.AcousticModel).Model);
        Assert.Same(model.Config, transcriber.Config);
        Assert.False(model.training);
    }
}
