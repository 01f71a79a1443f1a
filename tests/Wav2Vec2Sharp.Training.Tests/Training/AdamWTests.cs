using TorchSharp;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Training;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Training;

public sealed class AdamWTests
{
    // Two parameter sets with the same start; one updated by TorchSharp's AdamW, one by ours, with the same gradients.
    private static (List<TorchSharp.Modules.Parameter> Reference, List<TorchSharp.Modules.Parameter> Ours) TwinParameters()
    {
        using var generator = new Generator(7);
        var shapes = new long[][] { [3, 5], [5], [2, 4, 3] };
        var reference = shapes.Select(s => new TorchSharp.Modules.Parameter(randn(s, generator: generator))).ToList();
        var ours = reference.Select(p => new TorchSharp.Modules.Parameter(p.detach().clone())).ToList();
        return (reference, ours);
    }

    private static void SetGradients(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, int step)
    {
        using var generator = new Generator((ulong)(100 + step));
        foreach (var p in parameters)
            p.grad = randn(p.shape, generator: generator);
    }

    [Fact]
    public void Updates_are_bitwise_those_of_TorchSharps_AdamW_and_the_state_files_are_interchangeable()
    {
        var (reference, ours) = TwinParameters();
        using var torchSharp = optim.AdamW(reference, lr: 1e-2, beta1: 0.9, beta2: 0.98, eps: 1e-6, weight_decay: 0.01);
        using var held = new Wav2Vec2Sharp.Training.AdamW(ours, lr: 1e-2, beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.01);
        for (int step = 0; step < 6; step++)
        {
            double lr = 1e-2 * (step + 1) / 6; // the schedules set the rate before every update
            foreach (var group in torchSharp.ParamGroups) group.LearningRate = lr;
            foreach (var group in held.ParamGroups) group.LearningRate = lr;
            SetGradients(reference, step);
            SetGradients(ours, step);
            if (step == 3)
                ours[1].grad = null; // a parameter without a gradient is left alone by both
            if (step == 3)
                reference[1].grad = null;
#pragma warning disable RS0030 // the reference: TorchSharp's own step
            torchSharp.step();
#pragma warning restore RS0030
            held.Step();
        }
        for (int i = 0; i < reference.Count; i++)
            Assert.True(reference[i].equal(ours[i]).all().item<bool>(), $"parameter {i} differs after 6 updates");
        Assert.False(reference[0].equal(TwinParameters().Reference[0]).all().item<bool>(), "the updates changed nothing");

        using var temp = new TempDir();
        var path = Path.Combine(temp.Root, "optimizer.bin");
        torchSharp.save_state_dict(path);
        var (_, fresh) = TwinParameters();
        using var restored = new Wav2Vec2Sharp.Training.AdamW(fresh, lr: 1e-2, beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.01);
        restored.load_state_dict(path);
        var expected = (TorchSharp.Modules.AdamW.State)torchSharp.state_dict().State[0];
        var loaded = (TorchSharp.Modules.AdamW.State)restored.state_dict().State[0];
        Assert.Equal(expected.step, loaded.step);
        Assert.True(expected.exp_avg_sq.equal(loaded.exp_avg_sq).all().item<bool>());
    }
}
