using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Wav2Vec2Sharp.Cli.Console;

/// <summary>
/// A one-line progress bar with ETA on stderr: on a terminal, drawn in place by Spectre.Console (bar, count, time and
/// details, in colour where the terminal has it); when stderr is redirected (logs, CI), a plain line at most every
/// <see cref="PlainInterval"/>, without escape codes.
/// </summary>
internal sealed class ProgressBar
{
    private readonly TextWriter _writer;
    private readonly string _label;
    private readonly IAnsiConsole? _console;
    private readonly StringWriter _rendered = new();
    private string _clearLine = "\r";
    private readonly ProgressTask _task;
    private readonly ProgressBarColumn _bar = new() { Width = 24 };
    private readonly Stopwatch _lastPlain = Stopwatch.StartNew();
    private bool _drawn;

    public ProgressBar(TextWriter writer, string label, bool interactive)
    {
        _writer = writer;
        _label = label;
        _task = new ProgressTask(0, label, 1, autoStart: false);
        if (interactive)
        {
            // Spectre renders into a string with the terminal's capabilities; the line is then drawn over the last one
            // without a line break, so that what the command prints meanwhile is never overwritten.
            var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
            _console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(_rendered),
                Ansi = terminal.Profile.Capabilities.Ansi ? AnsiSupport.Yes : AnsiSupport.No,
                ColorSystem = (ColorSystemSupport)terminal.Profile.Capabilities.ColorSystem,
                Interactive = InteractionSupport.No,
            });
            _console.Profile.Width = Math.Max(20, terminal.Profile.Width - 1);
            _clearLine = terminal.Profile.Capabilities.Ansi ? "\r\u001b[2K" : "\r";
        }
    }

    public static TimeSpan PlainInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether bars are drawn at all (off on the ranks other than 0 of a data-parallel job).</summary>
    public static bool Enabled { get; set; } = true;

    public static ProgressBar ForStandardError(string label) =>
        !Enabled ? new(TextWriter.Null, label, false)
        : StandardStreams.Raw ? new(StandardStreams.Error, label, false) // under MPI: plain lines, no terminal control
        : new(System.Console.Error, label, !System.Console.IsErrorRedirected);

    /// <summary>Shows <paramref name="done"/> of <paramref name="total"/> with the given details.</summary>
    public void Report(long done, long total, TimeSpan elapsed, TimeSpan? eta, string details)
    {
        bool finished = done >= total;
        if (_console is null && !finished && _lastPlain.Elapsed < PlainInterval)
            return;
        var time = eta is { } e && !finished ? $"{Format(elapsed)} < {Format(e)}" : Format(elapsed);
        if (_console is null)
        {
            double fraction = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 0;
            int filled = (int)Math.Round(fraction * 24);
            _writer.WriteLine($"{_label} {new string('█', filled) + new string('░', 24 - filled)} {done}/{total} [{time}] {details}");
            _lastPlain.Restart();
            return;
        }
        _task.MaxValue = Math.Max(1, total);
        _task.Value = Math.Clamp(done, 0, _task.MaxValue);
        var line = new Grid();
        for (int i = 0; i < 4; i++)
            line.AddColumn(new GridColumn().NoWrap());
        line.AddRow(new Markup($"[bold]{Markup.Escape(_label)}[/]"), _bar.Render(RenderOptions.Create(_console), _task, TimeSpan.Zero),
            new Markup($"{done}/{total} [grey][[{Markup.Escape(time)}]][/]"), new Spectre.Console.Text(details) { Overflow = Overflow.Ellipsis });
        _rendered.GetStringBuilder().Clear();
        _console.Write(line);
        // one terminal line: what Spectre would fold onto a second one is dropped, so that \r redraws the whole bar
        _writer.Write(_clearLine + _rendered.ToString().Split('\n')[0].TrimEnd('\r'));
        _drawn = true;
        if (finished)
            Finish();
    }

    /// <summary>Ends the in-place line.</summary>
    public void Finish()
    {
        if (_drawn)
            _writer.WriteLine();
        _drawn = false;
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes:D2}:{t.Seconds:D2}";
}
