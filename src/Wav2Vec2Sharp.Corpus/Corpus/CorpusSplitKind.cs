namespace Wav2Vec2Sharp.Corpus;

/// <summary>What a split of a synthetic corpus is for.</summary>
public enum CorpusSplitKind
{
    /// <summary>Audio for self-supervised pre-training (<c>unlabelled/</c>): training speakers; the transcripts are written but not meant to be used.</summary>
    Unlabelled,

    /// <summary>A labelled fine-tuning set (<c>train_10min/</c>, <c>train_1h/</c>): training speakers.</summary>
    Labelled,

    /// <summary>The development set (<c>dev/</c>): training speakers, sentences of its own.</summary>
    Development,

    /// <summary>A test set: <c>test_seen/</c> (training speakers) or <c>test_unseen/</c> (held-out voices), sentences of its own.</summary>
    Test,

    /// <summary>
    /// A channel-shift test set (<c>test_seen_telephone/</c>, <c>test_seen_mp3/</c>, …; see <see cref="ChannelTest"/>):
    /// the utterances of <c>test_seen</c> through another channel. For evaluation only, never for training or model selection.
    /// </summary>
    ChannelTest,
}
