using Wav2Vec2Sharp.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec2Sharp.Configuration;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>What the quantizer produced for a batch; the caller disposes it.</summary>
/// <param name="Quantized">Quantized vectors <c>[B, T, codevector_dim]</c> (G codewords concatenated).</param>
/// <param name="CodevectorIndices">Chosen entry of each codebook <c>[B, T, G]</c> (int64).</param>
/// <param name="Perplexity">Scalar: Σ_g exp(−Σ_v p̄_gv log p̄_gv) of the average codeword distribution over the counted frames
/// (soft distribution in training — differentiable, fairseq <c>prob_perplexity</c>; hard one-hots in eval; HF
/// <c>codevector_perplexity</c>). At most G·V.</param>
/// <param name="CodePerplexity">Scalar: the same measure over the chosen (hard) codewords, fairseq <c>code_perplexity</c>; no gradient.</param>
public sealed record QuantizerOutput(Tensor Quantized, Tensor CodevectorIndices, Tensor Perplexity, Tensor CodePerplexity) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Quantized.Dispose();
        CodevectorIndices.Dispose();
        Perplexity.Dispose();
        CodePerplexity.Dispose();
    }
}

/// <summary>
/// Gumbel product quantizer (HF <c>Wav2Vec2GumbelVectorQuantizer</c>, keys <c>quantizer.codevectors</c>
/// <c>[1, G·V, codevector_dim / G]</c> and <c>quantizer.weight_proj</c>): a Linear maps each feature frame to G × V
/// logits; in training a straight-through hard Gumbel-softmax at <see cref="Temperature"/> picks one entry per
/// codebook, in eval the argmax does; the chosen entries are concatenated.
/// </summary>
public sealed class GumbelVectorQuantizer : nn.Module<Tensor, Tensor?, QuantizerOutput>
{
    private readonly Parameter codevectors;
    private readonly Linear weight_proj;
    private readonly int _groups;
    private readonly int _entries;

    /// <summary>Creates the quantizer for features of width <c>conv_dim[-1]</c>.</summary>
    public GumbelVectorQuantizer(Wav2Vec2Config config) : base(nameof(GumbelVectorQuantizer))
    {
        _groups = config.NumCodevectorGroups;
        _entries = config.NumCodevectorsPerGroup;
        codevectors = new Parameter(empty(1, _groups * _entries, config.CodevectorDim / _groups).uniform_(0.0, 1.0));
        weight_proj = nn.Linear(config.ConvDim[^1], _groups * _entries);
        using (no_grad())
        {
            nn.init.normal_(weight_proj.weight!, 0.0, 1.0);
            nn.init.zeros_(weight_proj.bias!);
        }
        RegisterComponents();
    }

    /// <summary>Gumbel-softmax temperature τ used in training (the schedule is owned by the trainer). HF starts at 2.</summary>
    public double Temperature { get; set; } = 2.0;

    /// <summary>Quantizes <paramref name="features"/> <c>[B, T, C]</c>; <paramref name="frameMask"/> <c>[B, T]</c> (bool)
    /// restricts the perplexity to those frames (HF passes the masked-time frames).</summary>
    public override QuantizerOutput forward(Tensor features, Tensor? frameMask) => Forward(features, frameMask, null);

    /// <summary>As <see cref="forward"/>; in training, <paramref name="gumbelNoise"/> <c>[B·T·G, V]</c> replaces the sampled
    /// Gumbel noise (for reproducible tests).</summary>
    public QuantizerOutput Forward(Tensor features, Tensor? frameMask, Tensor? gumbelNoise)
    {
        using var scope = NewDisposeScope();
        long B = features.shape[0], T = features.shape[1];
        var logits = weight_proj.call(features).view(B * T * _groups, _entries); // (B, T, C) -> (B·T·G, V)
        Tensor probs, distribution, indices;
        if (training)
        {
            var logits32 = logits.to_type(ScalarType.Float32);
            probs = HardGumbelSoftmax(logits32, Temperature, gumbelNoise).to_type(logits.dtype);
            indices = probs.argmax(-1);
            distribution = logits32.view(B * T, _groups, _entries).softmax(-1);
        }
        else
        {
            indices = logits.argmax(-1);
            probs = nn.functional.one_hot(indices, _entries).to_type(logits.dtype);
            distribution = probs.view(B * T, _groups, _entries);
        }
        var perplexity = Perplexity(distribution, frameMask);
        Tensor codePerplexity;
        using (no_grad())
            codePerplexity = training
                ? Perplexity(nn.functional.one_hot(indices, _entries).to_type(ScalarType.Float32).view(B * T, _groups, _entries), frameMask)
                : perplexity.detach();
        // (B·T, G·V, 1) * (1, G·V, D/G) -> (B·T, G, V, D/G) -> sum over V -> (B, T, D)
        var quantized = (probs.view(B * T, -1).unsqueeze(-1) * codevectors).view(B * T, _groups, _entries, -1).sum(-2).view(B, T, -1);
        return new QuantizerOutput(quantized.MoveToOuterDisposeScope(), indices.view(B, T, _groups).MoveToOuterDisposeScope(),
            perplexity.MoveToOuterDisposeScope(), codePerplexity.MoveToOuterDisposeScope());
    }

    /// <summary>HF <c>_compute_perplexity</c>: <paramref name="probs"/> <c>[N, G, V]</c>, optional mask <c>[B, T]</c> with B·T = N.</summary>
    internal static Tensor Perplexity(Tensor probs, Tensor? frameMask)
    {
        using var scope = NewDisposeScope();
        Tensor marginal;
        if (frameMask is null)
            marginal = probs.mean([0]);
        else
        {
            var keep = frameMask.flatten().view(-1, 1, 1).to_type(probs.dtype);
            marginal = (probs * keep).sum(dim: 0) / keep.sum(); // sum(0) would bind to sum(ScalarType)
        }
        return (marginal * marginal.Plus(1e-7).log()).sum(-1).neg().exp().sum().MoveToOuterDisposeScope();
    }

    /// <summary>Straight-through Gumbel-softmax: forward value one-hot, gradient of softmax((logits + g) / τ).</summary>
    internal static Tensor HardGumbelSoftmax(Tensor logits, double temperature, Tensor? noise = null)
    {
        using var scope = NewDisposeScope();
        var gumbel = noise ?? empty_like(logits).exponential_(1.0, null).log().neg(); // g = −log(E), E ~ Exp(1)
        var soft = logits.Plus(gumbel).DividedBy(temperature).softmax(-1);
        var hard = nn.functional.one_hot(soft.argmax(-1), soft.shape[^1]).to_type(soft.dtype);
        return (hard - soft.detach()).Plus(soft).MoveToOuterDisposeScope();
    }
}
