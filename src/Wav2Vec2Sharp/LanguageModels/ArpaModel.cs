using System.Globalization;
using System.Text;

namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>An n-gram model as the lines of an ARPA file, e.g. the output of <see cref="KneserNeyBuilder"/>.</summary>
public sealed class ArpaModel
{
    /// <summary>Creates a model from its entries by order (index 0 = unigrams).</summary>
    public ArpaModel(IReadOnlyList<IReadOnlyList<ArpaEntry>> entriesByOrder) => EntriesByOrder = entriesByOrder;

    /// <summary>The entries of each order (index 0 = unigrams), in the order they are written.</summary>
    public IReadOnlyList<IReadOnlyList<ArpaEntry>> EntriesByOrder { get; }

    /// <summary>The highest order.</summary>
    public int Order => EntriesByOrder.Count;

    /// <summary>Writes the ARPA text: <c>\data\</c> counts, one section per order (back-off weights on all but the highest), <c>\end\</c>.</summary>
    public void Write(TextWriter writer)
    {
        writer.Write("\\data\\\n");
        for (int n = 1; n <= Order; n++)
            writer.Write($"ngram {n}={EntriesByOrder[n - 1].Count}\n");
        var line = new StringBuilder();
        for (int n = 1; n <= Order; n++)
        {
            writer.Write($"\n\\{n}-grams:\n");
            foreach (var entry in EntriesByOrder[n - 1])
            {
                line.Clear();
                line.Append(Format(entry.Log10Probability)).Append('\t').AppendJoin(' ', entry.Words);
                if (n < Order)
                    line.Append('\t').Append(Format(entry.Log10Backoff));
                writer.Write(line.Append('\n'));
            }
        }
        writer.Write("\n\\end\\\n");
    }

    /// <summary>Writes the ARPA file atomically (UTF-8).</summary>
    public void Save(string path) => AtomicFile.Write(path, (Stream stream) =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        Write(writer);
    });

    /// <summary>Reads these entries back as a scorer (through the ARPA text, so it scores exactly as the saved file does).</summary>
    public NGramLanguageModel ToLanguageModel(string source = "arpa")
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        Write(text);
        return NGramLanguageModel.Read(new StringReader(text.ToString()), source);
    }

    private static string Format(double value) => value.ToString("G10", CultureInfo.InvariantCulture);
}
