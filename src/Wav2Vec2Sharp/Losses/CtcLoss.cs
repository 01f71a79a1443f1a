using Wav2Vec2Sharp.Runtime;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Losses;

/// <summary>Connectionist temporal classification loss as HF <c>Wav2Vec2ForCTC</c> computes it.</summary>
public static class CtcLoss
{
    /// <summary>
    /// log-softmax in fp32 over <paramref name="logits"/> <c>[B, T, V]</c>, transposed to <c>[T, B, V]</c>, then
    /// <c>ctc_loss</c> with the given blank. <paramref name="labels"/> <c>[B, S]</c> are padded with −100 (or any negative).
    /// </summary>
    /// <param name="logits">Model outputs <c>[B, T, V]</c>.</param>
    /// <param name="frameLengths">Real frames per utterance <c>[B]</c> (int64).</param>
    /// <param name="labels">Target ids <c>[B, S]</c>, negative for padding.</param>
    /// <param name="blank">Blank id (HF <c>pad_token_id</c>).</param>
    /// <param name="reduction">"sum", "mean" (each loss divided by its target length, then averaged) or "none".</param>
    /// <param name="zeroInfinity">Replace infinite losses (impossible alignments) and their gradients by zero.</param>
    public static Tensor Compute(Tensor logits, Tensor frameLengths, Tensor labels, long blank, string reduction, bool zeroInfinity)
    {
        using var scope = NewDisposeScope();
        var logProbs = logits.to_type(ScalarType.Float32).log_softmax(-1).transpose(0, 1); // (B, T, V) -> (T, B, V)
        var valid = labels >= HeldScalars.Zero;
        var targetLengths = valid.sum(-1);
        var targets = labels.masked_select(valid); // concatenated targets, as HF passes them
        var mode = reduction switch
        {
            "sum" => nn.Reduction.Sum,
            "mean" => nn.Reduction.Mean,
            "none" => nn.Reduction.None,
            _ => throw new ArgumentException($"unknown CTC reduction \"{reduction}\" (use sum, mean or none)", nameof(reduction)),
        };
        return nn.functional.ctc_loss(logProbs, targets, frameLengths, targetLengths, blank, zeroInfinity, mode).MoveToOuterDisposeScope();
    }
}
