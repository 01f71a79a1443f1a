using System.CommandLine;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.LanguageModels;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// The decoding options a command can offer (<c>--lm --lm-unit --lexicon --hotwords --alpha --beta --beam-width</c>)
/// and the <see cref="ICtcDecoder"/> they describe: greedy unless an LM, a lexicon, hotwords or a beam width is given.
/// </summary>
/// <example>
/// <code>
/// var decoding = new DecoderOptions();
/// decoding.AddTo(command);
/// // in the action:
/// var decoder = decoding.Create(parse, transcriber.Vocabulary);
/// </code>
/// </example>
internal sealed class DecoderOptions
{
    public Option<FileInfo?> Lm { get; } = new("--lm") { Description = "ARPA n-gram language model: decode with beam search" };

    public Option<LanguageModelUnit> LmUnit { get; } = new("--lm-unit") { Description = "Tokens of --lm: Word or Character", DefaultValueFactory = _ => LanguageModelUnit.Word };

    public Option<FileInfo?> Lexicon { get; } = new("--lexicon") { Description = "Allowed words, one per line (first column): beam search produces no others" };

    public Option<FileInfo?> Hotwords { get; } = new("--hotwords") { Description = "Words or phrases to favour, one per line" };

    public Option<double> HotwordWeight { get; } = new("--hotword-weight") { Description = "Bonus per matched hotword character (natural log)", DefaultValueFactory = _ => BeamSearchOptions.Default.HotwordWeight };

    public Option<double> Alpha { get; } = new("--alpha") { Description = "LM weight α (on natural-log LM probabilities)", DefaultValueFactory = _ => BeamSearchOptions.Default.Alpha };

    public Option<double> Beta { get; } = new("--beta") { Description = "Word insertion bonus β", DefaultValueFactory = _ => BeamSearchOptions.Default.Beta };

    public Option<int?> BeamWidth { get; } = new("--beam-width") { Description = $"Beam search with this many prefixes (default {BeamSearchOptions.Default.BeamWidth} when --lm is given)" };

    /// <summary>All the options, to add to a command.</summary>
    public IEnumerable<Option> All => [Lm, LmUnit, Lexicon, Hotwords, HotwordWeight, Alpha, Beta, BeamWidth];

    public void AddTo(Command command)
    {
        foreach (var option in All)
            command.Options.Add(option);
    }

    /// <summary>Whether the parsed options ask for beam search.</summary>
    public bool WantsBeamSearch(ParseResult parse) =>
        parse.GetValue(Lm) is not null || parse.GetValue(BeamWidth) is not null || parse.GetValue(Lexicon) is not null || parse.GetValue(Hotwords) is not null;

    /// <summary>The beam settings the parsed options describe (without lexicon or hotwords files).</summary>
    public BeamSearchOptions BeamOptions(ParseResult parse)
    {
        int width = parse.GetValue(BeamWidth) ?? BeamSearchOptions.Default.BeamWidth;
        if (width < 1)
            throw new ArgumentException($"--beam-width must be at least 1, got {width}");
        return new BeamSearchOptions
        {
            BeamWidth = width,
            Alpha = parse.GetValue(Alpha),
            Beta = parse.GetValue(Beta),
            LanguageModelUnit = parse.GetValue(LmUnit),
            HotwordWeight = parse.GetValue(HotwordWeight),
        };
    }

    /// <summary>Loads the LM, lexicon and hotwords named on the command line and builds the decoder.</summary>
    /// <exception cref="Wav2Vec2SharpException">A file is missing or malformed.</exception>
    public ICtcDecoder Create(ParseResult parse, Vocabulary vocabulary)
    {
        if (!WantsBeamSearch(parse))
            return new GreedyCtcDecoder(vocabulary);
        var lm = parse.GetValue(Lm) is { } lmFile ? NGramLanguageModel.Load(lmFile.FullName) : null;
        var options = BeamOptions(parse) with
        {
            Lexicon = parse.GetValue(Lexicon) is { } lexicon ? ReadLines(lexicon.FullName, firstColumn: true) : null,
            Hotwords = parse.GetValue(Hotwords) is { } hotwords ? ReadLines(hotwords.FullName, firstColumn: false) : null,
        };
        return new BeamSearchCtcDecoder(vocabulary, lm, options);
    }

    /// <summary>Non-empty lines (or their first column), <c>#</c> comments skipped.</summary>
    internal static string[] ReadLines(string path, bool firstColumn)
    {
        if (!File.Exists(path))
            throw new Wav2Vec2SharpException($"{path}: file not found");
        var lines = File.ReadLines(path).Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => firstColumn ? line.Split((char[]?)null, 2)[0] : string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .ToArray();
        if (lines.Length == 0)
            throw new Wav2Vec2SharpException($"{path}: no entries");
        return lines;
    }
}
