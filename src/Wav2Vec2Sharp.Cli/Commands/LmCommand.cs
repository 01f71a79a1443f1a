using System.CommandLine;
using System.Diagnostics;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary><c>w2v lm build --text FILE --order N -o LM.arpa</c>: a modified Kneser-Ney n-gram model for beam-search decoding.</summary>
internal static class LmCommand
{
    private const long ProgressFromBytes = 4 << 20;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var text = new Option<FileInfo>("--text") { Description = "Text file, one sentence per line (normalised like fine-tuning labels)", Required = true };
        var order = new Option<int>("--order") { Description = "Highest n-gram order", DefaultValueFactory = _ => 4 };
        var outFile = new Option<FileInfo>("--out", "-o") { Description = "ARPA file to write", Required = true };
        var lowerCase = new Option<bool>("--lower-case") { Description = "Lower-case the words (default: upper case, as the CTC vocabularies of English models)" };
        var build = new Command("build", "Estimate an interpolated modified Kneser-Ney n-gram model and write it as ARPA.") { text, order, outFile, lowerCase };
        build.SetAction(parse => CliApp.Guard(error, () =>
        {
            var path = parse.GetValue(text)!.FullName;
            int n = parse.GetValue(order);
            if (n < 1)
                throw new ArgumentException($"--order must be at least 1, got {n}");
            if (!File.Exists(path))
                throw new Wav2Vec2SharpException($"{path}: file not found");
            var normalizer = new TextNormalizer(new TextNormalizerOptions { Case = parse.GetValue(lowerCase) ? LetterCase.Lower : LetterCase.Upper });
            var builder = new KneserNeyBuilder(n, normalizer);
            CountSentences(path, builder);
            if (builder.Sentences == 0)
                throw new Wav2Vec2SharpException($"{path}: no words to build a language model from (the text is empty after normalisation)");
            var model = builder.Build();
            var target = parse.GetValue(outFile)!.FullName;
            model.Save(target);
            var counts = string.Join(", ", model.EntriesByOrder.Select((entries, i) => $"{i + 1}-grams {entries.Count}"));
            output.WriteLine($"wrote {target}: order {n}, {builder.Sentences} sentences, {builder.Tokens} words; {counts}");
            return CliApp.Success;
        }));
        return new Command("lm", "Build n-gram language models for beam-search decoding.") { build };
    }

    private static void CountSentences(string path, KneserNeyBuilder builder)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new StreamReader(stream, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        var bar = stream.Length >= ProgressFromBytes ? ProgressBar.ForStandardError("counting") : null;
        var clock = Stopwatch.StartNew();
        long lines = 0;
        while (ReadTextLine(reader, path, lines + 1) is { } line)
        {
            builder.AddSentence(line);
            if (++lines % 4096 == 0 && bar is not null)
            {
                double fraction = (double)stream.Position / stream.Length;
                bar.Report(stream.Position >> 20, stream.Length >> 20, clock.Elapsed,
                    fraction > 0 ? clock.Elapsed * ((1 - fraction) / fraction) : null, $"MiB, {builder.Sentences} sentences");
            }
        }
        bar?.Report(stream.Length >> 20, stream.Length >> 20, clock.Elapsed, null, $"MiB, {builder.Sentences} sentences");
        bar?.Finish();
    }

    // One line of text; binary data (a NUL character, bytes that are not UTF-8) is refused rather than counted as words.
    private static string? ReadTextLine(StreamReader reader, string path, long lineNumber)
    {
        try
        {
            var line = reader.ReadLine();
            return line is null || !line.Contains('\0') ? line
                : throw new Wav2Vec2SharpException($"{path}: not a text file (line {lineNumber} holds binary data): give one sentence per line, UTF-8");
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new Wav2Vec2SharpException($"{path}: not a text file (bytes that are not UTF-8 near line {lineNumber}): give one sentence per line, UTF-8");
        }
    }
}
