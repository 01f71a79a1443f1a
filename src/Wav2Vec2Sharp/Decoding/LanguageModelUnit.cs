namespace Wav2Vec2Sharp.Decoding;

/// <summary>What the tokens of a beam-search language model are.</summary>
public enum LanguageModelUnit
{
    /// <summary>Words: the model scores a word when the word delimiter (or the end of the utterance) completes it.</summary>
    Word,

    /// <summary>Characters: the model scores every emitted token; its words are the vocabulary's tokens, the word
    /// delimiter <c>|</c> included.</summary>
    Character,
}
