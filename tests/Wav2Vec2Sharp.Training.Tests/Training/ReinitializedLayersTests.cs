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

public sealed class ReinitializedLayersTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string SavePretrained()
    {
        var directory = Path.Combine(_temp.Root, "pretrained");
        manual_seed(3);
        using var body = new Wav2Vec2ForPreTraining(TinyConfig.Create());
        using (no_grad())
        using (var half = 0.5.ToScalar())
        {
            foreach (var parameter in body.parameters())
                parameter.add_(half, HeldScalars.One); // "trained": no tensor equals a freshly initialised one (norms 1, biases 0)
        }
        Wav2Vec2Pretrained.Save(body, directory);
        return directory;
    }

    private static Vocabulary Letters() => VocabularyBuilder.Build(["ABC"]);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Only_the_top_layers_get_new_weights(int count)
    {
        var pretrained = SavePretrained();
        var saved = SafetensorsFile.Read(Path.Combine(pretrained, "model.safetensors"));

        manual_seed(11);
        using var model = FineTuningRun.CreateModel(pretrained, null, Letters(), new FineTuningOptions { ReinitializedTopLayers = count });

        var loaded = model.state_dict();
        foreach (var (key, tensor) in loaded.Where(kv => !kv.Key.StartsWith("lm_head.", StringComparison.Ordinal)))
        {
            int layer = key.StartsWith("wav2vec2.encoder.layers.", StringComparison.Ordinal) ? int.Parse(key.Split('.')[3]) : -1;
            bool reinitialized = layer >= 2 - count;
            Assert.True(tensor.allclose(saved[HfKeys.ToCheckpointName(key)], 0, 0) != reinitialized, key);
        }
    }

    [Fact]
    public void Reinitialized_layers_are_a_fresh_layers_weights()
    {
        var pretrained = SavePretrained();
        var saved = SafetensorsFile.Read(Path.Combine(pretrained, "model.safetensors"));

        manual_seed(11);
        using var model = FineTuningRun.CreateModel(pretrained, null, Letters(), new FineTuningOptions { ReinitializedTopLayers = 1 });

        var query = model.state_dict()["wav2vec2.encoder.layers.1.attention.q_proj.weight"];
        Assert.InRange(query.std().item<float>(), 0.015f, 0.025f); // N(0, initializer_range 0.02)
        Assert.True(model.state_dict()["wav2vec2.encoder.layers.1.attention.q_proj.bias"].eq(HeldScalars.Zero).all().item<bool>());
        Assert.True(model.state_dict()["wav2vec2.encoder.layers.0.attention.q_proj.weight"].allclose(saved["wav2vec2.encoder.layers.0.attention.q_proj.weight"], 0, 0));
    }

    [Fact]
    public void More_layers_than_the_model_has_is_refused()
    {
        var pretrained = SavePretrained();

        var e = Assert.Throws<Wav2Vec2SharpException>(() => FineTuningRun.CreateModel(pretrained, null, Letters(), new FineTuningOptions { ReinitializedTopLayers = 3 }));

        Assert.Equal("cannot re-initialise 3 Transformer layers: the model has 2.", e.Message);
    }
}
