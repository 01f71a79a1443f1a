namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>What Kneser-Ney needs about one history h: Σₓ a(hx) and how many words followed it once, twice, 3+ times.</summary>
internal readonly record struct ContextStatistics(long Total, long Once, long Twice, long ThreeOrMore)
{
    public ContextStatistics Add(long count) => new(Total + count, Once + (count == 1 ? 1 : 0), Twice + (count == 2 ? 1 : 0),
        ThreeOrMore + (count >= 3 ? 1 : 0));

    /// <summary>γ(h): the probability mass the discounts free, given to the lower order.</summary>
    public double Gamma(KneserNeyDiscounts d) => (d.D1 * Once + d.D2 * Twice + d.D3Plus * ThreeOrMore) / Total;
}
