namespace Wav2Vec2Sharp.Plotting;

/// <summary>One named series of a <see cref="LineChart"/>; a point is drawable when both coordinates are finite (and y is positive on a log axis).</summary>
internal sealed record LineSeries(string Name, double[] Xs, double[] Ys, Rgb Color)
{
    /// <summary>Whether point <paramref name="i"/> can be drawn.</summary>
    public bool IsValid(int i, bool logY) => double.IsFinite(Xs[i]) && double.IsFinite(Ys[i]) && (!logY || Ys[i] > 0);

    /// <summary>The drawable points, in order.</summary>
    public IEnumerable<(double X, double Y)> Points(bool logY) =>
        Enumerable.Range(0, Xs.Length).Where(i => IsValid(i, logY)).Select(i => (Xs[i], Ys[i]));

    /// <summary>Maximal stretches of consecutive valid points.</summary>
    public IEnumerable<List<(double X, double Y)>> Runs(bool logY)
    {
        var run = new List<(double X, double Y)>();
        for (var i = 0; i < Xs.Length; i++)
        {
            if (IsValid(i, logY))
            {
                run.Add((Xs[i], Ys[i]));
                continue;
            }

            if (run.Count > 0)
                yield return run;
            run = [];
        }

        if (run.Count > 0)
            yield return run;
    }

    /// <summary>
    /// Thins a polyline in pixel coordinates without visible change: of each stretch of consecutive points that fall
    /// in the same pixel column, only the first, lowest, highest and last are kept (in their original order).
    /// </summary>
    public static List<(double X, double Y)> Decimate(List<(double X, double Y)> run)
    {
        var kept = new List<(double X, double Y)>(Math.Min(run.Count, 4096));
        var start = 0;
        while (start < run.Count)
        {
            var column = Math.Round(run[start].X);
            int end = start, low = start, high = start;
            while (end + 1 < run.Count && Math.Round(run[end + 1].X) == column)
            {
                end++;
                if (run[end].Y < run[low].Y)
                    low = end;
                if (run[end].Y > run[high].Y)
                    high = end;
            }

            foreach (var index in new SortedSet<int> { start, low, high, end })
                kept.Add(run[index]);
            start = end + 1;
        }

        return kept;
    }
}
