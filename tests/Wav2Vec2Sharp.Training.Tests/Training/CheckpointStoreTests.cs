using TorchSharp;
using Wav2Vec2Sharp.Runtime;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;
using Wav2Vec2Sharp.Training;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Training;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly Wav2Vec2ForPreTraining _model = new(TinyConfig.Create() with { MaskTimeProb = 0.65 });
    private readonly Wav2Vec2Sharp.Training.AdamW _optimizer;

    public CheckpointStoreTests() => _optimizer = new Wav2Vec2Sharp.Training.AdamW(_model.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0);

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _temp.Dispose();
    }

    private string Save(CheckpointStore store, long updates, long? best = null) =>
        store.Save(_model, _model.Config, Wav2Vec2Pretrained.PreTrainingArchitecture, _optimizer,
            new TrainerState { Updates = updates, BestUpdate = best }, Wav2Vec2Sharp.Configuration.FeatureExtractorConfig.For(_model.Config));

    [Fact]
    public void Latest_points_at_the_newest_complete_checkpoint_and_ignores_a_torn_write()
    {
        var store = new CheckpointStore(_temp.Root, keepLast: 3);
        Save(store, 10);
        var second = Save(store, 20);
        // a crash while writing update 30 leaves only a temporary folder behind
        Directory.CreateDirectory(Path.Combine(store.Directory, ".update_0000030.deadbeef.tmp"));

        Assert.Equal(second, store.Latest());
        Assert.Equal(20, TrainerState.Read(Path.Combine(second, "trainer_state.json")).Updates);
    }

    [Fact]
    public void Saving_an_update_again_replaces_its_checkpoint_and_leaves_no_hidden_folder()
    {
        var store = new CheckpointStore(_temp.Root, keepLast: 3);
        Save(store, 10);
        using (no_grad())
        using (var quarter = 0.25f.ToScalar())
            _model.state_dict()["project_q.weight"].fill_(quarter);

        var again = Save(store, 10);

        Assert.Equal(again, store.Latest());
        using var saved = Wav2Vec2Sharp.Checkpoints.SafetensorsFile.Read(Path.Combine(again, "model.safetensors"))["project_q.weight"];
        Assert.Equal(0.25f, saved.max().item<float>());
        Assert.Equal(["latest.json", "update_0000010"], Directory.GetFileSystemEntries(store.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Only_the_newest_and_the_best_survive_pruning()
    {
        var store = new CheckpointStore(_temp.Root, keepLast: 2);

        foreach (var updates in new long[] { 10, 20, 30, 40 })
            Save(store, updates, best: 20);

        var names = Directory.GetDirectories(store.Directory, "update_*").Select(Path.GetFileName).Order();
        Assert.Equal(["update_0000020", "update_0000030", "update_0000040"], names);
    }

    [Fact]
    public void Restore_brings_back_weights_and_the_random_stream()
    {
        var store = new CheckpointStore(_temp.Root, keepLast: 2);
        manual_seed(5);
        var path = Save(store, 10);
        var expectedDraw = rand(4).data<float>().ToArray();
        var expectedWeight = _model.state_dict()["project_q.weight"].clone();

        using (no_grad())
            _model.state_dict()["project_q.weight"].fill_(HeldScalars.Zero);
        rand(100).Dispose();
        var state = CheckpointStore.Restore(path, _model, _optimizer);

        Assert.Equal(10, state.Updates);
        Assert.Equal(expectedDraw, rand(4).data<float>().ToArray());
        Assert.True(TensorAssert.Identical(expectedWeight, _model.state_dict()["project_q.weight"]));
    }
}
