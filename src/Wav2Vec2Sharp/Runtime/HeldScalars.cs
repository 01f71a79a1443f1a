using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Runtime;

/// <summary>
/// Tensor arithmetic with numbers, keeping each <see cref="Scalar"/> alive until libtorch has read it.
/// </summary>
/// <remarks>
/// TorchSharp frees a Scalar in its finalizer and passes libtorch only its handle. The temporary Scalar of an implicit
/// conversion (<c>tensor * 0.5</c>, <c>labels &gt;= 0</c>) or of TorchSharp's own defaults (the alpha of 1 in
/// <c>tensor + tensor</c>) is unreachable while libtorch runs, so a collection started by another thread can finalize it
/// mid-call: libtorch then reads freed memory, a wrong number or "Expected false to be true" from <c>Scalar::toFloat</c>.
/// <c>BannedSymbols.txt</c> (made by <c>tools/scalars</c>) keeps those forms out of every project; these replace them.
/// </remarks>
internal static class HeldScalars
{
    /// <summary>0 (int32), never collected.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>1 (int32), never collected.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>2 (int32), never collected.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary><paramref name="left"/> + <paramref name="right"/> (broadcast).</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><paramref name="left"/> + <paramref name="right"/>.</summary>
    public static Tensor Plus(this Tensor left, double right)
    {
        using var value = right.ToScalar();
        return left.add(value, One);
    }

    /// <summary><paramref name="left"/> + <paramref name="right"/> (an int64 Scalar).</summary>
    public static Tensor Plus(this Tensor left, long right)
    {
        using var value = right.ToScalar();
        return left.add(value, One);
    }

    /// <summary>In place: <paramref name="left"/> += <paramref name="right"/> (broadcast); returns <paramref name="left"/>.</summary>
    public static Tensor PlusInPlace(this Tensor left, Tensor right) => left.add_(right, One);

    /// <summary><paramref name="left"/> · <paramref name="right"/>.</summary>
    public static Tensor Times(this Tensor left, double right)
    {
        using var value = right.ToScalar();
        return left.mul(value);
    }

    /// <summary><paramref name="left"/> · <paramref name="right"/> (an int64 Scalar).</summary>
    public static Tensor Times(this Tensor left, long right)
    {
        using var value = right.ToScalar();
        return left.mul(value);
    }

    /// <summary>In place: <paramref name="left"/> ·= <paramref name="right"/>; returns <paramref name="left"/>.</summary>
    public static Tensor TimesInPlace(this Tensor left, double right)
    {
        using var value = right.ToScalar();
        return left.mul_(value);
    }

    /// <summary><paramref name="left"/> / <paramref name="right"/>.</summary>
    public static Tensor DividedBy(this Tensor left, double right)
    {
        using var value = right.ToScalar();
        return left.div(value);
    }

    /// <summary><paramref name="left"/> / <paramref name="right"/> (an int64 Scalar).</summary>
    public static Tensor DividedBy(this Tensor left, long right)
    {
        using var value = right.ToScalar();
        return left.div(value);
    }

    /// <summary><paramref name="left"/> − <paramref name="right"/>, computed as TorchSharp does: (−right) + left.</summary>
    public static Tensor Minus(double left, Tensor right)
    {
        using var value = left.ToScalar();
        using var negated = right.neg();
        return negated.add(value, One);
    }

    /// <summary>Elements of <paramref name="left"/> below <paramref name="right"/> (bool).</summary>
    public static Tensor Below(this Tensor left, long right)
    {
        using var value = right.ToScalar();
        return left.lt(value);
    }

    /// <summary>0, 1, …, <paramref name="count"/> − 1 as int64 <c>[count]</c>.</summary>
    public static Tensor Range(long count, Device? device = null)
    {
        using var stop = count.ToScalar();
        return arange(Zero, stop, One, ScalarType.Int64, device);
    }
}
