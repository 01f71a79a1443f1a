using Wav2Vec2Sharp.Runtime;
using Wav2Vec2Sharp.Distributed;
using Wav2Vec2Sharp.Modules;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Distributed;

/// <summary>
/// The reduction overlapped with the backward pass, against a simulated peer: it must reduce each layer's final
/// gradients (never a partial sum), while the backward pass is still running, in the same order on every rank.
/// </summary>
public sealed class OverlappedGradientReductionTests
{
    private static TransformerEncoder Encoder()
    {
        manual_seed(3);
        var encoder = new TransformerEncoder(TinyConfig.Create() with { NumHiddenLayers = 3 });
        encoder.train();
        return encoder;
    }

    private static Tensor Input()
    {
        manual_seed(4);
        return randn(2, 20, 24);
    }

    private static Dictionary<string, float[]> Gradients(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad is null ? [] : p.parameter.grad.data<float>().ToArray());

    [Fact]
    public void The_overlapped_reduction_gives_each_parameter_the_sum_of_its_final_gradients()
    {
        using var encoder = Encoder();
        using var input = Input();
        encoder.call(input, null).pow(HeldScalars.Two).sum().backward();
        var single = Gradients(encoder);
        encoder.zero_grad();
        var peer = new MirrorPeer(); // the peer computed the same gradients: every sum is twice this rank's
        using var reducer = new GradientAllReducer(encoder.parameters(), peer);
        reducer.OverlapWithBackward(encoder.Layers);

        reducer.ArmForNextBackward();
        encoder.call(input, null).pow(HeldScalars.Two).sum().backward();
        reducer.Reduce();

        Assert.True(reducer.Overlaps);
        Assert.Equal(4, reducer.LastBucketCount); // one per layer, then the parameters outside the layers
        foreach (var (name, values) in Gradients(encoder))
            Assert.Equal(single[name].Select(v => 2 * v).ToArray(), values);
    }

    [Fact]
    public void A_layers_bucket_is_reduced_while_the_backward_pass_is_still_in_the_layers_below()
    {
        using var encoder = Encoder();
        using var input = Input();
        var peer = new MirrorPeer();
        using var reducer = new GradientAllReducer(encoder.parameters(), peer);
        reducer.OverlapWithBackward(encoder.Layers);
        // the backward pass waits at the first layer's input until the peer has reduced a bucket (at most 30 s)
        bool reducedDuringBackward = false;
        encoder.Layers[0].register_forward_pre_hook((_, x, mask) =>
            (BackwardSignal.Wrap(x, () => reducedDuringBackward = peer.FirstReduction.Wait(TimeSpan.FromSeconds(30))), mask));

        reducer.ArmForNextBackward();
        encoder.call(input, null).pow(HeldScalars.Two).sum().backward();
        int reductionsWhenBackwardEnded = peer.Reductions;
        reducer.Reduce();

        Assert.True(reducedDuringBackward);
        Assert.InRange(reductionsWhenBackwardEnded, 1, 3); // the rest's bucket waits for Reduce
        Assert.Equal(4, peer.Reductions);
    }

    [Fact]
    public void A_layer_skipped_on_this_rank_gets_the_peers_gradient_after_the_backward_pass()
    {
        using var encoder = Encoder();
        using var input = Input();
        var layers = encoder.Layers;
        Tensor Forward() => layers[2].call(layers[0].call(input, null), null).pow(HeldScalars.Two).sum(); // layer 1 dropped here
        Forward().backward();
        var single = Gradients(encoder);
        encoder.zero_grad();
        var peer = new MirrorPeer(addOnes: true); // the peer's gradient is 1 everywhere, for every parameter
        using var reducer = new GradientAllReducer(encoder.parameters(), peer);
        reducer.OverlapWithBackward(layers);

        reducer.ArmForNextBackward();
        Forward().backward();
        reducer.Reduce();

        foreach (var (name, values) in Gradients(encoder))
        {
            var expected = single[name].Length == 0 ? Enumerable.Repeat(1f, values.Length) : single[name].Select(v => v + 1);
            Assert.Equal(expected.ToArray(), values);
        }
        Assert.Contains(Gradients(encoder), g => g.Key.StartsWith("layers.1.", StringComparison.Ordinal) && g.Value.Length > 0);
    }

    [Fact]
    public void Arming_twice_without_reducing_is_refused()
    {
        using var encoder = Encoder();
        using var reducer = new GradientAllReducer(encoder.parameters(), new MirrorPeer());
        reducer.OverlapWithBackward(encoder.Layers);
        reducer.ArmForNextBackward();

        Assert.Throws<InvalidOperationException>(reducer.ArmForNextBackward);
        reducer.Reduce();
    }

    /// <summary>Rank 0 of two, whose peer holds this rank's values (every sum doubles them) or ones everywhere.</summary>
    private sealed class MirrorPeer(bool addOnes = false) : SimulatedPeer
    {
        private int _reductions;

        public ManualResetEventSlim FirstReduction { get; } = new(false);

        public int Reductions => Volatile.Read(ref _reductions);

        public override void AllReduceSum(Span<float> values)
        {
            for (int i = 0; i < values.Length; i++)
                values[i] = addOnes ? values[i] + 1 : 2 * values[i];
            Interlocked.Increment(ref _reductions);
            FirstReduction.Set();
        }

        public override void Dispose() => FirstReduction.Dispose();
    }
}
