using TorchSharp;
using Wav2Vec2Sharp.Runtime;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;
using Wav2Vec2Sharp.Text;
using Wav2Vec2Sharp.Training;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Training;

public sealed class ContinuedCtcHeadTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Vocabulary Letters(string text = "ABC") => VocabularyBuilder.Build([text]);

    // A "fine-tuned" CTC model for Letters(): every weight moved away from its initial value.
    private string SaveFineTuned()
    {
        var directory = Path.Combine(_temp.Root, "finetuned");
        manual_seed(3);
        var vocabulary = Letters();
        using var model = new Wav2Vec2ForCtc(TinyConfig.Create() with { VocabSize = vocabulary.Count, PadTokenId = vocabulary.BlankId });
        using (no_grad())
        using (var half = 0.5.ToScalar())
        {
            foreach (var parameter in model.parameters())
                parameter.add_(half, HeldScalars.One);
        }
        Wav2Vec2Pretrained.Save(model, directory, vocabulary);
        return directory;
    }

    [Fact]
    public void A_kept_head_loads_every_weight_of_the_fine_tuned_model()
    {
        var finetuned = SaveFineTuned();
        var saved = SafetensorsFile.Read(Path.Combine(finetuned, "model.safetensors"));

        manual_seed(11);
        using var model = FineTuningRun.CreateModel(finetuned, null, Letters(), new FineTuningOptions { KeepCtcHead = true });

        foreach (var (key, tensor) in model.state_dict())
            Assert.True(tensor.allclose(saved[HfKeys.ToCheckpointName(key)], 0, 0), key);
    }

    [Fact]
    public void Without_keeping_it_the_head_is_drawn_anew_and_the_body_is_loaded()
    {
        var finetuned = SaveFineTuned();
        var saved = SafetensorsFile.Read(Path.Combine(finetuned, "model.safetensors"));

        manual_seed(11);
        using var model = FineTuningRun.CreateModel(finetuned, null, Letters(), new FineTuningOptions());

        var state = model.state_dict();
        Assert.True((state["lm_head.weight"] - saved["lm_head.weight"]).abs().max().item<float>() > 0.1f); // the saved head is 0.5 away from any fresh one
        Assert.True(state["wav2vec2.encoder.layers.1.attention.q_proj.weight"].allclose(saved["wav2vec2.encoder.layers.1.attention.q_proj.weight"], 0, 0));
    }

    [Fact]
    public void The_vocabulary_of_a_ctc_model_is_found_and_a_pretraining_checkpoint_has_none()
    {
        var finetuned = SaveFineTuned();
        var pretrained = Path.Combine(_temp.Root, "pretrained");
        using (var body = new Wav2Vec2ForPreTraining(TinyConfig.Create()))
            Wav2Vec2Pretrained.Save(body, pretrained);

        var found = FineTuningRun.CtcVocabularyOf(finetuned);

        Assert.NotNull(found);
        Assert.True(FineTuningRun.SameTokens(found, Letters()));
        Assert.False(FineTuningRun.SameTokens(found, Letters("ABD")));
        Assert.Null(FineTuningRun.CtcVocabularyOf(pretrained));
    }

    [Fact]
    public void Keeping_the_head_for_another_vocabulary_is_refused()
    {
        var finetuned = SaveFineTuned();

        var e = Assert.Throws<Wav2Vec2SharpException>(() =>
            FineTuningRun.CreateModel(finetuned, null, Letters("ABCD"), new FineTuningOptions { KeepCtcHead = true }));

        Assert.Equal($"{finetuned}: its CTC head has a vocabulary of {Letters().Count} tokens that differs from this run's ({Letters("ABCD").Count} tokens); " +
                     "a new head is needed for another vocabulary.", e.Message);
    }
}
