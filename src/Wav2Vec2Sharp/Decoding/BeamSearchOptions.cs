namespace Wav2Vec2Sharp.Decoding;

/// <summary>
/// Settings of <see cref="BeamSearchCtcDecoder"/>. Scores are natural logarithms: a hypothesis scores
/// log P_acoustic + α · ln P_LM + β · words (+ hotword bonuses). Defaults follow pyctcdecode (α 0.5, β 1.5, beam 100).
/// </summary>
public sealed record BeamSearchOptions
{
    /// <summary>Default settings.</summary>
    public static BeamSearchOptions Default { get; } = new();

    /// <summary>Prefixes kept after each frame.</summary>
    public int BeamWidth { get; init; } = 100;

    /// <summary>Language-model weight α, applied to natural-log LM probabilities (log10 scores are converted).</summary>
    public double Alpha { get; init; } = 0.5;

    /// <summary>Word insertion bonus β, added per completed word.</summary>
    public double Beta { get; init; } = 1.5;

    /// <summary>Per-frame token pruning: tokens whose log-probability is below this are not used to extend prefixes
    /// (the frame's best token always is). pyctcdecode <c>token_min_logp</c>.</summary>
    public double TokenMinLogProbability { get; init; } = -5;

    /// <summary>Per-frame token pruning: at most this many tokens extend prefixes (0 = no limit). flashlight <c>beam_size_token</c>.</summary>
    public int TokenBeamSize { get; init; }

    /// <summary>Beam pruning: prefixes scoring more than this below the frame's best are dropped. flashlight <c>beam_threshold</c>.</summary>
    public double BeamThreshold { get; init; } = 20;

    /// <summary>Added (once) to a word-LM hypothesis whose word in progress is no longer a prefix of any LM word, before
    /// the LM scores it as <c>&lt;unk&gt;</c>. pyctcdecode <c>unk_score_offset</c>.</summary>
    public double UnknownWordOffset { get; init; } = -10;

    /// <summary>Tokens of the language model, if one is given.</summary>
    public LanguageModelUnit LanguageModelUnit { get; init; } = LanguageModelUnit.Word;

    /// <summary>When set, only these words may be produced: a word in progress must be a prefix of one of them.</summary>
    public IReadOnlyCollection<string>? Lexicon { get; init; }

    /// <summary>Words or phrases (words separated by spaces) to favour.</summary>
    public IReadOnlyList<string>? Hotwords { get; init; }

    /// <summary>Bonus per matched hotword character; taken back if the match breaks before the hotword is complete.</summary>
    public double HotwordWeight { get; init; } = 2;
}
