using TorchSharp.Modules;
using Wav2Vec2Sharp.Distributed;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Distributed;

public sealed class GradientAllReducerTests
{
    private static Parameter Parameter(params float[] values) => new(tensor(values));

    private static void SetGrad(Parameter p, params float[] values) => p.grad = tensor(values);

    [Fact]
    public void Gradients_are_summed_with_the_peers_in_flat_buckets_of_at_most_the_cap_each_with_its_presence_flags()
    {
        Parameter a = Parameter(0, 0, 0), b = Parameter(0, 0), c = Parameter(0, 0, 0, 0);
        SetGrad(a, 1, 2, 3);
        SetGrad(b, 4, 5);
        SetGrad(c, 6, 7, 8, 9);
        // buckets of ≤ 5 gradient floats, [a, b] and [c], each followed by one flag per parameter (1 on the peer)
        var world = new ScriptedPeerCommunicator([10, 20, 30, 40, 50, 1, 1], [60, 70, 80, 90, 1]);
        using var reducer = new GradientAllReducer([a, b, c], world, bucketBytes: 5 * sizeof(float));

        reducer.Reduce();

        Assert.Equal([7, 5], world.FloatReductionLengths);
        Assert.Equal(2, reducer.LastBucketCount);
        Assert.Equal([11f, 22, 33], a.grad!.data<float>().ToArray());
        Assert.Equal([44f, 55], b.grad!.data<float>().ToArray());
        Assert.Equal([66f, 77, 88, 99], c.grad!.data<float>().ToArray());
    }

    [Fact]
    public void A_parameter_with_a_gradient_on_the_peer_only_gets_the_peers_and_one_without_any_keeps_none()
    {
        Parameter dropped = Parameter(0, 0), frozen = Parameter(0, 0), trained = Parameter(0);
        SetGrad(trained, 1);
        // the peer had a gradient for "dropped" (a layer layerdrop skipped here) and for "trained", none for "frozen"
        var world = new ScriptedPeerCommunicator([5, 6, 0, 0, 2, 1, 0, 1]);
        using var reducer = new GradientAllReducer([dropped, frozen, trained], world);

        reducer.Reduce();

        Assert.Equal([5f, 6], dropped.grad!.data<float>().ToArray());
        Assert.Null(frozen.grad);
        Assert.Equal([3f], trained.grad!.data<float>().ToArray());
        Assert.Equal([8], world.FloatReductionLengths);
    }

    [Fact]
    public void One_process_reduces_nothing()
    {
        var p = Parameter(0, 0);
        SetGrad(p, 1, 2);
        using var reducer = new GradientAllReducer([p], LocalCommunicator.Instance);

        reducer.Reduce();

        Assert.Equal(0, reducer.LastBucketCount);
        Assert.Equal([1f, 2], p.grad!.data<float>().ToArray());
    }
}
