using Spectre.Console;

namespace Wav2Vec2Sharp.Cli.Console;

/// <summary>
/// A command's result table, drawn by Spectre.Console: with rounded borders and a bold header on a terminal, and as
/// plain space-aligned columns without escape codes or borders when the output is redirected (files, pipes, tests).
/// </summary>
internal sealed class ResultTable
{
    private readonly Table _table = new();

    /// <summary>A table with these column headers; the columns listed in <paramref name="rightAligned"/> align right (numbers).</summary>
    public ResultTable(IReadOnlyList<string> headers, params int[] rightAligned)
    {
        for (int i = 0; i < headers.Count; i++)
        {
            var column = new TableColumn(Markup.Escape(headers[i])).NoWrap();
            _table.AddColumn(rightAligned.Contains(i) ? column.RightAligned() : column);
        }
    }

    /// <summary>Adds a row of plain text cells.</summary>
    public ResultTable Add(params string[] cells)
    {
        _table.AddRow(cells.Select(c => (Spectre.Console.Rendering.IRenderable)new Spectre.Console.Text(c)).ToArray());
        return this;
    }

    /// <summary>Writes the table to <paramref name="writer"/>, as a terminal table when <paramref name="terminal"/> is true.</summary>
    public void Write(TextWriter writer, bool terminal)
    {
        IAnsiConsole console;
        if (terminal)
        {
            console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
            _table.Border(TableBorder.Rounded);
        }
        else
        {
            console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = 1000;   // never fold a line of a log
            _table.Border(TableBorder.None);
        }
        console.Write(_table);
    }

    /// <summary>Whether <paramref name="writer"/> is the process's standard output and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) => ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
}
