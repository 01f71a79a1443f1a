using System.Diagnostics;

namespace Wav2Vec2Sharp.Cli.Console;

/// <summary>
/// A one-line progress bar with ETA on stderr: redrawn in place on a terminal, printed as a plain line at most every
/// <see cref="PlainInterval"/> when stderr is redirected (logs, CI).
/// </summary>
internal sealed class ProgressBar(TextWriter writer, string label, bool interactive)
{
    private readonly Stopwatch _lastPlain = Stopwatch.StartNew();
    private bool _drawn;

    public static TimeSpan PlainInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether bars are drawn at all (off on the ranks other than 0 of a data-parallel job).</summary>
    public static bool Enabled { get; set; } = true;

    public static ProgressBar ForStandardError(string label) =>
        Enabled ? new(System.Console.Error, label, !System.Console.IsErrorRedirected) : new(TextWriter.Null, label, false);

    /// <summary>Shows <paramref name="done"/> of <paramref name="total"/> with the given details.</summary>
    public void Report(long done, long total, TimeSpan elapsed, TimeSpan? eta, string details)
    {
        bool finished = done >= total;
        if (!interactive && !finished && _lastPlain.Elapsed < PlainInterval)
            return;
        double fraction = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 0;
        const int width = 24;
        int filled = (int)Math.Round(fraction * width);
        var bar = new string('█', filled) + new string('░', width - filled);
        var time = eta is { } e && !finished ? $"{Format(elapsed)} < {Format(e)}" : Format(elapsed);
        var line = $"{label} {bar} {done}/{total} [{time}] {details}";
        if (interactive)
        {
            int columns = System.Console.IsOutputRedirected ? 160 : Math.Max(40, SafeWindowWidth() - 1);
            writer.Write("\r" + (line.Length > columns ? line[..columns] : line.PadRight(columns)));
            _drawn = true;
            if (finished)
                Finish();
        }
        else
        {
            writer.WriteLine(line);
            _lastPlain.Restart();
        }
    }

    /// <summary>Ends the in-place line.</summary>
    public void Finish()
    {
        if (_drawn)
            writer.WriteLine();
        _drawn = false;
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes:D2}:{t.Seconds:D2}";

    private static int SafeWindowWidth()
    {
        try
        {
            return System.Console.WindowWidth;
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
