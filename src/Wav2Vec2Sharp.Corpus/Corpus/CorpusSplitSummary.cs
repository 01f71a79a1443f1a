namespace Wav2Vec2Sharp.Corpus;

/// <summary>One split of a synthesised corpus.</summary>
/// <param name="Name">The split name, which is also its folder and manifest base name.</param>
/// <param name="Kind">What the split is for.</param>
/// <param name="Folder">The folder holding its WAV files.</param>
/// <param name="TsvPath">The fairseq manifest (for a labelled split the <c>.ltr</c> and <c>.wrd</c> files lie beside it).</param>
/// <param name="JsonlPath">The JSON-lines manifest (<c>audio_filepath</c>, <c>text</c>, <c>duration</c>, <c>speaker</c>).</param>
/// <param name="Utterances">The number of utterances.</param>
/// <param name="Samples">Their total length at 16 kHz.</param>
/// <param name="SpeakerIds">The speakers heard in the split, in order of first appearance.</param>
/// <param name="Synthesized">Utterances synthesised in this run.</param>
/// <param name="Reused">Utterances reused from an earlier run or copied from a larger labelled set.</param>
/// <param name="Failed">Utterances skipped because the engine failed.</param>
/// <param name="Complete">Whether the split reached its duration; <see langword="false"/> when its sentences ran out first.</param>
public sealed record CorpusSplitSummary(string Name, CorpusSplitKind Kind, string Folder, string TsvPath, string JsonlPath, int Utterances,
    long Samples, IReadOnlyList<string> SpeakerIds, int Synthesized, int Reused, int Failed, bool Complete)
{
    /// <summary>The total duration.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(Samples / (double)Audio.AudioFile.DefaultSampleRate);
}
