using System.Globalization;

namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>
/// Parses the ARPA back-off format: optional text before <c>\data\</c>, the <c>ngram N=count</c> header, one
/// <c>\N-grams:</c> section per order with lines <c>log10prob  w₁ … w_N  [log10backoff]</c>, then <c>\end\</c>.
/// </summary>
internal sealed class ArpaReader
{
    private static readonly char[] Separators = [' ', '\t'];

    private readonly TextReader _reader;
    private readonly string _source;
    private readonly WordIds _words = new();
    private readonly Dictionary<long, int> _children = [];
    private readonly List<double> _probability = [double.NaN]; // node 0: the empty history
    private readonly List<double> _backoff = [0];
    private int _lineNumber;

    private ArpaReader(TextReader reader, string source)
    {
        _reader = reader;
        _source = source;
    }

    public static NGramLanguageModel Read(TextReader reader, string source) => new ArpaReader(reader, source).Read();

    private NGramLanguageModel Read()
    {
        string? line;
        do
        {
            line = NextLine();
            if (line is null)
                throw Error("no \\data\\ section (is this an ARPA file?)", withLine: false);
        }
        while (line.Trim() != "\\data\\");

        var counts = ReadCounts(out line);
        for (int order = 1; order <= counts.Count; order++)
        {
            while (line is not null && line.Trim().Length == 0)
                line = NextLine();
            if (line?.Trim() != $"\\{order}-grams:")
                throw line is null ? Error($"missing section \\{order}-grams:", withLine: false) : Error($"expected \\{order}-grams:, found \"{Clip(line)}\"");
            int header = _lineNumber, read = 0;
            while ((line = NextLine()) is not null && !line.StartsWith('\\'))
            {
                if (line.Trim().Length == 0)
                    continue;
                AddEntry(line, order);
                read++;
            }
            if (read != counts[order - 1])
                throw Error($"the \\data\\ header promises {counts[order - 1]} {order}-grams but the section lists {read}", line: header);
        }
        while (line is not null && line.Trim().Length == 0)
            line = NextLine();
        if (line?.Trim() != "\\end\\")
            throw line is null ? Error("missing \\end\\", withLine: false) : Error($"expected \\end\\, found \"{Clip(line)}\"");

        if (!_words.Contains(NGramLanguageModel.Unknown))
        {
            int node = AddNode(0, Intern(NGramLanguageModel.Unknown));
            _probability[node] = NGramLanguageModel.MissingUnknownLog10Probability;
        }
        return new NGramLanguageModel(_source, [.. _words.Words], _children, [.. _probability], [.. _backoff], [.. counts]);
    }

    private List<int> ReadCounts(out string? line)
    {
        var counts = new List<int>();
        while ((line = NextLine()) is not null)
        {
            var text = line.Trim();
            if (text.Length == 0)
                continue;
            if (!text.StartsWith("ngram ", StringComparison.Ordinal))
                break;
            var parts = text[6..].Split('=');
            if (parts.Length != 2 || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int order)
                || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
                throw Error($"expected \"ngram N=count\", found \"{Clip(line)}\"");
            if (order != counts.Count + 1)
                throw Error($"expected the count of {counts.Count + 1}-grams, found order {order}");
            counts.Add(count);
        }
        if (counts.Count == 0)
            throw Error("the \\data\\ section lists no \"ngram N=count\" lines", withLine: line is not null);
        return counts;
    }

    private void AddEntry(string line, int order)
    {
        var fields = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != order + 1 && fields.Length != order + 2)
            throw Error($"a {order}-gram line needs a log10 probability, {order} word(s) and an optional back-off weight, found {fields.Length} field(s)");
        double probability = ParseNumber(fields[0], "log10 probability");
        double backoff = fields.Length == order + 2 ? ParseNumber(fields[^1], "back-off weight") : 0;
        int node = 0;
        for (int i = 0; i < order; i++)
        {
            int word;
            if (order == 1)
            {
                if (_words.Contains(fields[1]))
                    throw Error($"unigram \"{fields[1]}\" is listed twice");
                word = Intern(fields[1]);
            }
            else if (!_words.TryGetId(fields[i + 1], out word))
                throw Error($"word \"{fields[i + 1]}\" is not listed in \\1-grams:");
            node = _children.TryGetValue(NGramLanguageModel.Key(node, word), out int child) ? child : AddNode(node, word);
        }
        if (!double.IsNaN(_probability[node]))
            throw Error($"n-gram \"{string.Join(' ', fields[1..(order + 1)])}\" is listed twice");
        _probability[node] = probability;
        _backoff[node] = backoff;
    }

    private int AddNode(int parent, int word)
    {
        int node = _probability.Count;
        _probability.Add(double.NaN);
        _backoff.Add(0);
        _children.Add(NGramLanguageModel.Key(parent, word), node);
        return node;
    }

    private int Intern(string word) => _words.Intern(word);

    private double ParseNumber(string text, string what)
    {
        switch (text)
        {
            case "-inf" or "-Infinity":
                return double.NegativeInfinity;
            case "inf" or "Infinity":
                return double.PositiveInfinity;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || double.IsNaN(value))
            throw Error($"bad {what} \"{Clip(text)}\"");
        return value;
    }

    private string? NextLine()
    {
        var line = _reader.ReadLine();
        if (line is not null)
            _lineNumber++;
        return line;
    }

    private static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private ArpaFormatException Error(string problem, bool withLine = true, int? line = null) =>
        new(withLine ? $"{_source}:{line ?? _lineNumber}: {problem}." : $"{_source}: {problem}.");
}
