using System.Text;

namespace Wav2Vec2Sharp.Cli.Console;

/// <summary>Prefixes every line with <c>[rank R/N]</c>, so that the messages of a data-parallel job's ranks can be told apart.</summary>
internal sealed class RankPrefixedWriter(TextWriter inner, int rank, int size) : TextWriter
{
    private readonly string _prefix = $"[rank {rank}/{size}] ";
    private bool _lineStart = true;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (_lineStart && value != '\n')
            inner.Write(_prefix);
        inner.Write(value);
        _lineStart = value == '\n';
    }

    public override void Write(string? value)
    {
        foreach (char c in value ?? "")
            Write(c);
    }

    public override void Flush() => inner.Flush();
}
