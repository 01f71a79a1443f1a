using Wav2Vec2Sharp.Runtime;
using System.Text.Json.Nodes;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Support;

/// <summary>A tolerance |actual − expected| ≤ atol + rtol·|expected|, or exact equality.</summary>
internal sealed record Tolerance(double Atol, double Rtol, bool Exact = false)
{
    public override string ToString() => Exact ? "exact" : $"atol {Atol:g3}, rtol {Rtol:g3}";
}

/// <summary>Element-wise tensor comparisons that report the worst difference and where it is.</summary>
internal static class TensorAssert
{
    public static void Close(Tensor expected, Tensor actual, Tolerance tolerance, string name)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
            throw new XunitException($"{name}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        if (expected.NumberOfElements == 0)
            return;
        using var e = expected.to_type(ScalarType.Float64).cpu();
        using var a = actual.detach().to_type(ScalarType.Float64).cpu();
        using var diff = (a - e).abs();
        using var allowed = tolerance.Exact ? zeros_like(e) : e.abs().Times(tolerance.Rtol).Plus(tolerance.Atol);
        // NaN or ±∞ must sit at the same places with the same sign; (∞ − ∞) is NaN and is not a difference.
        using var nanMismatch = a.isnan().logical_xor(e.isnan());
        using var infMismatch = a.isinf().logical_xor(e.isinf()).logical_or(a.isinf().logical_and(e.isinf()).logical_and(a.ne(e)));
        using var bad = (diff > allowed).logical_or(nanMismatch).logical_or(infMismatch);
        var maxDiff = diff.nan_to_num(0.0, 0.0, 0.0).max().item<double>();
        if (bad.any().item<bool>())
        {
            using var firstBad = bad.flatten().nonzero()[0, 0];
            long flat = firstBad.item<long>();
            var index = Unravel(flat, expected.shape);
            throw new XunitException(
                $"{name}: {bad.sum().item<long>()} of {expected.NumberOfElements} values outside {tolerance}; max |diff| {maxDiff:g4}; " +
                $"first at [{string.Join(", ", index)}]: actual {a.flatten()[flat].item<double>():g8}, expected {e.flatten()[flat].item<double>():g8}");
        }
    }

    /// <summary>Same shape, dtype and bits.</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>The tolerance named in <c>tests/fixtures/parity/fixtures.json</c> for an activation key.</summary>
    public static Tolerance ParityTolerance(string key)
    {
        var table = ParityTolerances.Value;
        if (table.TryGetValue(key, out var exact))
            return exact;
        foreach (var (pattern, tolerance) in table)
        {
            if (pattern.EndsWith('*') && key.StartsWith(pattern[..^1], StringComparison.Ordinal))
                return tolerance;
        }
        throw new XunitException($"fixtures.json names no tolerance for {key}");
    }

    private static readonly Lazy<Dictionary<string, Tolerance>> ParityTolerances = new(() =>
    {
        var root = JsonNode.Parse(File.ReadAllText(Fixtures.Path("parity/fixtures.json")))!["tolerances_fp32"]!.AsObject();
        return root.ToDictionary(kv => kv.Key, kv => kv.Value!["exact"]?.GetValue<bool>() == true
            ? new Tolerance(0, 0, Exact: true)
            : new Tolerance(kv.Value["atol"]!.GetValue<double>(), kv.Value["rtol"]!.GetValue<double>()));
    });

    private static long[] Unravel(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
