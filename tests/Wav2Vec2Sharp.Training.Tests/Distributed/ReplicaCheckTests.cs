using TorchSharp;
using Wav2Vec2Sharp.Runtime;
using Wav2Vec2Sharp.Distributed;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Distributed;

public sealed class ReplicaCheckTests
{
    private static (Wav2Vec2Sharp.Models.Wav2Vec2ForPreTraining Model, Wav2Vec2Sharp.Training.AdamW Optimizer) Replica()
    {
        manual_seed(5);
        var model = new Wav2Vec2Sharp.Models.Wav2Vec2ForPreTraining(TinyConfig.Create());
        return (model, new Wav2Vec2Sharp.Training.AdamW(model.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0));
    }

    [Fact]
    public void Equal_replicas_hash_equally_and_one_changed_weight_or_optimizer_step_changes_the_hash()
    {
        var (model, optimizer) = Replica();
        var (twin, twinOptimizer) = Replica();
        ulong original = ReplicaCheck.Hash(model, optimizer);

        Assert.Equal(original, ReplicaCheck.Hash(twin, twinOptimizer));

        using (no_grad())
        using (var nudge = 1e-7f.ToScalar())
            twin.parameters().Last().view(-1)[0].add_(nudge, HeldScalars.One);
        Assert.NotEqual(original, ReplicaCheck.Hash(twin, twinOptimizer));

        foreach (var p in model.parameters())
            p.grad = zeros_like(p);
        optimizer.Step(); // zero gradients: the weights barely move, but the optimizer now has state
        var stepped = ReplicaCheck.Hash(model, optimizer);
        Assert.NotEqual(original, stepped);
    }
}
