namespace Wav2Vec2Sharp.Output;

/// <summary>How words are grouped into subtitle cues (defaults follow common broadcast guidelines).</summary>
public sealed record SubtitleOptions
{
    /// <summary>Longest line in characters; a single longer word gets a line of its own.</summary>
    public int MaxLineLength { get; init; } = 42;

    /// <summary>Most lines per cue.</summary>
    public int MaxLines { get; init; } = 2;

    /// <summary>Longest cue in seconds, from its first word's start to its last word's end.</summary>
    public double MaxCueSeconds { get; init; } = 7;

    /// <summary>A silence between two words longer than this, in seconds, starts a new cue.</summary>
    public double PauseSeconds { get; init; } = 0.8;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is not positive.</exception>
    public SubtitleOptions Validate()
    {
        if (MaxLineLength < 1 || MaxLines < 1 || !(MaxCueSeconds > 0) || !(PauseSeconds >= 0))
            throw new ArgumentException($"subtitle options must be positive (line length {MaxLineLength}, lines {MaxLines}, cue {MaxCueSeconds} s, pause {PauseSeconds} s)");
        return this;
    }
}
