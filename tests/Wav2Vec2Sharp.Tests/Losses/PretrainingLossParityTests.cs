using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Losses;

/// <summary>
/// The pretraining loss terms, every parameter gradient and three AdamW steps against an independent PyTorch
/// implementation (tools/reference/make_pretraining_fixtures.py) for fixed weights, input, mask, distractors and
/// Gumbel noise; tolerances from tests/fixtures/pretraining_loss/README.md (measured fp32-vs-fp64 spread × ~5).
/// </summary>
public sealed class PretrainingLossParityTests
{
    private static readonly Tolerance LossTerm = new(0, 1e-5);

    private sealed class Case : IDisposable
    {
        public Case(string name)
        {
            Directory = Fixtures.Path("pretraining_loss/" + name);
            Reference = SafetensorsFile.Read(Path.Combine(Directory, "reference.safetensors"));
            Inputs = SafetensorsFile.Read(Fixtures.Path("parity/inputs.safetensors"));
            Model = Wav2Vec2Pretrained.LoadForPreTraining(Directory);
            Model.train();
            Model.Quantizer.Temperature = Reference["gumbel_temperature"].item<float>();
        }

        public string Directory { get; }
        public Dictionary<string, Tensor> Reference { get; }
        public Dictionary<string, Tensor> Inputs { get; }
        public Wav2Vec2ForPreTraining Model { get; }

        public PretrainingLossOptions Options => new()
        {
            DiversityWeight = 0.1, LogitTemperature = 0.1,
            FeatureGradMult = Reference["feature_grad_mult"].item<float>(),
            FeaturePenaltyWeight = Reference["feature_penalty_weight"].item<float>(),
        };

        public PretrainingLossOutput Loss() => Model.PretrainingLoss(Inputs["batch.input_values"], Inputs["batch.attention_mask"],
            Reference["mask_time_indices"], Reference["sampled_negative_indices"], Options, Reference["gumbel_noise"]);

        public void Dispose()
        {
            Model.Dispose();
            foreach (var t in Reference.Values.Concat(Inputs.Values))
                t.Dispose();
        }
    }

    [Theory]
    [InlineData("group_postln")]
    [InlineData("layer_stableln")]
    public void Loss_terms_and_logits_match(string name)
    {
        using var c = new Case(name);

        using var output = c.Loss();

        TensorAssert.Close(c.Reference["contrastive_loss"], output.ContrastiveLoss, LossTerm, "contrastive_loss");
        TensorAssert.Close(c.Reference["diversity_loss"], output.DiversityLoss, LossTerm, "diversity_loss");
        TensorAssert.Close(c.Reference["feature_penalty"], output.FeaturePenalty, LossTerm, "feature_penalty");
        TensorAssert.Close(c.Reference["codevector_perplexity"], output.Perplexity, LossTerm, "codevector_perplexity");
        TensorAssert.Close(c.Reference["loss"], output.Loss, LossTerm, "loss");
        TensorAssert.Close(c.Reference["contrastive_logits"], output.Logits, new Tolerance(5e-5, 0), "contrastive_logits");
        Assert.Equal(c.Reference["num_masked"].item<long>(), output.MaskedFrames);
        Assert.Equal(c.Reference["correct"].item<long>(), output.Correct);
        Assert.True(output.Logits.isneginf().any().item<bool>(), "the identical-distractor rule was exercised");
    }

    [Theory]
    [InlineData("group_postln")]
    [InlineData("layer_stableln")]
    public void Every_parameter_gradient_matches(string name)
    {
        using var c = new Case(name);

        using (var output = c.Loss())
            output.Loss.backward();

        int compared = 0;
        foreach (var (key, parameter) in c.Model.named_parameters())
        {
            var hfKey = HfKeys.ToCheckpointName(key);
            var expected = c.Reference["grad." + hfKey];
            double scale = expected.abs().max().item<float>();
            var tolerance = key.EndsWith("k_proj.bias", StringComparison.Ordinal)
                ? new Tolerance(5e-6, 0) // mathematically zero: both sides hold only rounding noise (≤ 1e-6 seen)
                : new Tolerance((key.Contains("feature_extractor", StringComparison.Ordinal) ? 2e-5 : 1e-5) * scale, 0);
            Assert.NotNull(parameter.grad);
            TensorAssert.Close(expected, parameter.grad!, tolerance, "grad." + hfKey);
            compared++;
        }
        Assert.Equal(c.Reference.Keys.Count(k => k.StartsWith("grad.", StringComparison.Ordinal)), compared);
    }

    [Theory]
    [InlineData("group_postln")]
    [InlineData("layer_stableln")]
    public void Three_adamw_steps_follow_the_reference_losses(string name)
    {
        using var c = new Case(name);
        using var optimizer = optim.AdamW(c.Model.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.98, eps: 1e-6, weight_decay: 0.01);
        var losses = new List<float>();

        for (int step = 0; step < 4; step++)
        {
            optimizer.zero_grad();
            using var output = c.Loss();
            losses.Add(output.Loss.item<float>());
            if (step < 3)
            {
                output.Loss.backward();
#pragma warning disable RS0030 // the core tests have no training package and its AdamW; three steps on a tiny model
                optimizer.step();
#pragma warning restore RS0030
            }
        }

        TensorAssert.Close(c.Reference["adamw_losses"], tensor(losses.ToArray()), LossTerm, "adamw_losses");
    }
}
