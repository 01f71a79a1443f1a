namespace Wav2Vec2Sharp.Text;

/// <summary>The layouts <see cref="LabelledManifest"/> reads.</summary>
public enum LabelledManifestFormat
{
    /// <summary>
    /// fairseq: <c>train.tsv</c> (root folder line, then <c>path&lt;TAB&gt;num_samples</c>) with a parallel
    /// <c>train.ltr</c> (letters) or <c>train.wrd</c> (words) of the same base name.
    /// </summary>
    Fairseq,

    /// <summary>JSON lines (NeMo style): <c>{"audio_filepath": …, "text": …, "duration": seconds}</c> per line.</summary>
    Jsonl,

    /// <summary>Tab-separated with a header row (Common Voice <c>validated.tsv</c>: <c>path</c>, <c>sentence</c>, audio under <c>clips/</c>); fields are not quoted.</summary>
    Tsv,

    /// <summary>Comma-separated with a header row; fields quoted per RFC 4180.</summary>
    Csv,
}
