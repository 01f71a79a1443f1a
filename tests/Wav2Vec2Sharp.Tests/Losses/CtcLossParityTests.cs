using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Losses;

/// <summary>CTC loss against torch 1.13's <c>ctc_loss</c> (tools/reference/make_ctc_fixtures.py): both reductions,
/// zero_infinity on an impossible utterance, and the gradient through log-softmax; tolerances from the fixture README.</summary>
public sealed class CtcLossParityTests : IDisposable
{
    private readonly Dictionary<string, Tensor> _fixture = SafetensorsFile.Read(Fixtures.Path("ctc/ctc_loss.safetensors"));

    public void Dispose()
    {
        foreach (var t in _fixture.Values)
            t.Dispose();
    }

    [Theory]
    [InlineData("sum", true, "loss_sum_zero_inf")]
    [InlineData("mean", true, "loss_mean_zero_inf")]
    [InlineData("none", true, "loss_none_zero_inf")]
    [InlineData("none", false, "loss_none")]
    public void Loss_matches_torch(string reduction, bool zeroInfinity, string key)
    {
        using var loss = CtcLoss.Compute(_fixture["logits"], _fixture["input_lengths"], _fixture["targets"], 0, reduction, zeroInfinity);

        TensorAssert.Close(_fixture[key], loss, new Tolerance(0, 1e-5), key);
    }

    [Theory]
    [InlineData("sum", "grad_logits_sum_zero_inf", 1e-4)]
    [InlineData("mean", "grad_logits_mean_zero_inf", 2e-5)]
    public void Gradient_matches_torch_and_vanishes_where_no_alignment_exists(string reduction, string key, double atol)
    {
        using var logits = _fixture["logits"].clone().requires_grad_(true);

        using (var loss = CtcLoss.Compute(logits, _fixture["input_lengths"], _fixture["targets"], 0, reduction, zeroInfinity: true))
            loss.backward();

        TensorAssert.Close(_fixture[key], logits.grad!, new Tolerance(atol, 0), key);
        Assert.Equal(0, logits.grad![3].abs().max().item<float>());          // the impossible utterance
        Assert.Equal(0, logits.grad![2, 30..].abs().max().item<float>());    // frames past its input length
    }
}
