using System.Text;

namespace Wav2Vec2Sharp.Cli.Console;

/// <summary>
/// Prefixes every line with <c>[rank R/N]</c>, so that the messages of a data-parallel job's ranks can be told apart.
/// Lines are written whole, so that the ranks' lines do not interleave mid-line.
/// </summary>
internal sealed class RankPrefixedWriter(TextWriter inner, int rank, int size) : TextWriter
{
    private readonly string _prefix = $"[rank {rank}/{size}] ";
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        _line.Append(value);
        if (value == '\n')
            WriteLine();
    }

    public override void Write(string? value)
    {
        foreach (char c in value ?? "")
            Write(c);
    }

    public override void Flush()
    {
        if (_line.Length > 0)
            inner.Write(_prefix + _line);
        _line.Clear();
        inner.Flush();
    }

    private new void WriteLine()
    {
        inner.Write(_prefix + _line);
        inner.Flush();
        _line.Clear();
    }
}
