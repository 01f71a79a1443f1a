using System.Text;

namespace Wav2Vec2Sharp.Text;

/// <summary>One record of a delimited file: its first line, its fields, and what is wrong with it, if anything.</summary>
internal sealed record DelimitedRecord(int Line, IReadOnlyList<string> Fields, string? Problem)
{
    public bool IsBlank => Problem is null && Fields.Count == 1 && Fields[0].Trim().Length == 0;
}

/// <summary>Splits delimited text into records: tab-separated without quoting, or comma-separated per RFC 4180.</summary>
internal static class DelimitedRecords
{
    /// <summary>Tab-separated lines; quotes are ordinary characters (Common Voice TSVs are read this way).</summary>
    public static IEnumerable<DelimitedRecord> ReadTsv(TextReader reader)
    {
        int line = 0;
        for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
            yield return new DelimitedRecord(++line, text.Split('\t'), null);
    }

    /// <summary>
    /// RFC 4180 records: fields separated by <paramref name="delimiter"/>, optionally enclosed in double quotes, in which
    /// a doubled quote stands for one and line breaks are part of the field. Line ends may be CRLF, LF or CR.
    /// A record with an unterminated quote or text after a closing quote is returned with a problem.
    /// </summary>
    public static IEnumerable<DelimitedRecord> ReadCsv(TextReader source, char delimiter = ',')
    {
        var reader = new LookaheadReader(source);
        int line = 1;
        while (reader.Peek() >= 0)
        {
            int start = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            string? problem = null;
            bool endOfRecord = false;
            while (!endOfRecord)
            {
                field.Clear();
                if (reader.Peek() == '"')
                {
                    reader.Read();
                    var quoteProblem = ReadQuoted(reader, field, ref line);
                    if (quoteProblem is null && reader.Peek() is >= 0 and int next && next != delimiter && next != '\r' && next != '\n')
                        quoteProblem = "unexpected text after a closing quote";
                    problem ??= quoteProblem;
                }
                // Unquoted text (or, after a problem, the rest of the line) up to the delimiter or the line end.
                while (reader.Peek() is >= 0 and int c && c != delimiter && c != '\r' && c != '\n')
                    field.Append((char)reader.Read());
                fields.Add(field.ToString());
                int end = reader.Read();
                if (end == delimiter)
                    continue;
                endOfRecord = true;
                if (end == '\r' && reader.Peek() == '\n')
                    reader.Read();
                if (end >= 0)
                    line++;
            }
            yield return new DelimitedRecord(start, fields, problem);
        }
    }

    /// <summary>Reads a quoted field's content after its opening quote; returns a problem when the quote is never closed.</summary>
    private static string? ReadQuoted(LookaheadReader reader, StringBuilder field, ref int line)
    {
        while (true)
        {
            int c = reader.Read();
            if (c < 0)
                return "unterminated quoted field";
            if (c == '"')
            {
                if (reader.Peek() != '"')
                    return null;
                reader.Read();
            }
            else if (c == '\n' || (c == '\r' && reader.Peek() != '\n'))
                line++;
            field.Append((char)c);
        }
    }

    /// <summary>One character of lookahead over <see cref="TextReader.Read()"/> (<see cref="StreamReader.Peek"/> may report the end early on some streams).</summary>
    private sealed class LookaheadReader(TextReader reader)
    {
        private const int Empty = -2;
        private int _next = Empty;

        public int Peek()
        {
            if (_next == Empty)
                _next = reader.Read();
            return _next;
        }

        public int Read()
        {
            int c = Peek();
            if (c >= 0)
                _next = Empty;
            return c;
        }
    }
}
