namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>
/// The three absolute discounts of modified Kneser-Ney smoothing for one order (Chen &amp; Goodman 1998, eq. 26):
/// D1 for n-grams seen once, D2 twice, D3+ three or more times (counts are adjusted counts).
/// </summary>
/// <param name="D1">Discount of n-grams with count 1.</param>
/// <param name="D2">Discount of n-grams with count 2.</param>
/// <param name="D3Plus">Discount of n-grams with count 3 or more.</param>
public readonly record struct KneserNeyDiscounts(double D1, double D2, double D3Plus)
{
    /// <summary>Used when the counts of counts cannot give valid discounts (small corpora), as KenLM's
    /// <c>lmplz --discount_fallback</c> does by default.</summary>
    public static KneserNeyDiscounts Fallback { get; } = new(0.5, 1.0, 1.5);

    /// <summary>The discount for an n-gram with adjusted count <paramref name="count"/> (0 for count 0).</summary>
    public double For(long count) => count switch
    {
        <= 0 => 0,
        1 => D1,
        2 => D2,
        _ => D3Plus,
    };

    /// <summary>
    /// Y = t₁ / (t₁ + 2t₂); D_k = k − (k + 1) Y t_{k+1} / t_k, from the numbers t_k of n-grams whose adjusted count is
    /// exactly k. Falls back to <see cref="Fallback"/> when some t_k is 0 or a discount is outside (0, k].
    /// </summary>
    public static KneserNeyDiscounts FromCountsOfCounts(long t1, long t2, long t3, long t4)
    {
        if (t1 == 0 || t2 == 0 || t3 == 0 || t4 == 0)
            return Fallback;
        double y = t1 / (t1 + 2.0 * t2);
        var discounts = new KneserNeyDiscounts(1 - 2 * y * t2 / t1, 2 - 3 * y * t3 / t2, 3 - 4 * y * t4 / t3);
        bool valid = discounts.D1 is > 0 and <= 1 && discounts.D2 is > 0 and <= 2 && discounts.D3Plus is > 0 and <= 3;
        return valid ? discounts : Fallback;
    }
}
