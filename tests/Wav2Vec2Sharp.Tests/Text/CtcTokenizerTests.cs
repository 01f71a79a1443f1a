using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Text;

public sealed class CtcTokenizerTests
{
    // The LibriSpeech letter vocabulary of facebook/wav2vec2-base-960h.
    private static readonly Vocabulary LibriSpeech = new(
        ["<pad>", "<s>", "</s>", "<unk>", "|", "E", "T", "A", "O", "N", "I", "H", "S", "R", "D", "L", "U", "M", "W", "C", "F", "G", "Y", "P", "B", "V", "K", "'", "X", "J", "Q", "Z"]);

    private static readonly CtcTokenizer Tokenizer = new(LibriSpeech);

    [Fact]
    public void Encoding_maps_characters_to_ids_and_spaces_to_the_delimiter()
    {
        var ids = Tokenizer.Encode("HELLO IT'S", out int unknown);

        Assert.Equal([11, 5, 15, 15, 8, 4, 10, 6, 27, 12], ids);
        Assert.Equal(0, unknown);
    }

    [Fact]
    public void Characters_outside_the_vocabulary_become_unk_and_are_counted()
    {
        var ids = Tokenizer.Encode("CAFÉ 42", out int unknown);

        Assert.Equal([19, 7, 20, 3, 4, 3, 3], ids);
        Assert.Equal(3, unknown);
    }

    [Fact]
    public void Without_an_unk_token_unknown_characters_are_left_out()
    {
        var tokenizer = new CtcTokenizer(new Vocabulary(["<pad>", "|", "A", "B"]));

        Assert.Equal([2, 1, 3], tokenizer.Encode("AX B", out int unknown));
        Assert.Equal(1, unknown);
    }

    [Theory]
    [InlineData("HELLO WORLD")]
    [InlineData("DON'T  STOP")]
    [InlineData("AA BB")]
    [InlineData("")]
    public void Decoding_the_encoding_gives_back_in_vocabulary_text(string text)
    {
        Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text)));
    }

    [Fact]
    public void Decoding_labels_keeps_repeats_and_drops_pad_bos_eos_and_negative_padding()
    {
        int[] ids = [1, 11, 5, 15, 15, 8, 0, 4, 18, 2, -100, -100];

        Assert.Equal("HELLO W", Tokenizer.Decode(ids));
        Assert.Equal("A <unk>", Tokenizer.Decode([4, 7, 4, 3, 4]));
    }

    [Fact]
    public void Out_of_range_ids_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([32]));
    }

    [Fact]
    public void Lower_case_flag_upper_cases_input_and_lower_cases_output_as_hf_does()
    {
        var tokenizer = new CtcTokenizer(new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B"], lowerCaseOutput: true));

        var ids = tokenizer.Encode("ab BA");

        Assert.Equal([5, 6, 4, 6, 5], ids);
        Assert.Equal("ab ba", tokenizer.Decode(ids));
    }

    [Fact]
    public void A_vocabulary_without_word_delimiter_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new CtcTokenizer(new Vocabulary(["<pad>", "A"])));
    }

    [Theory]
    [InlineData("HELLO WORLD", "H E L L O | W O R L D |")]
    [InlineData("A MAN", "A | M A N |")]
    [InlineData("IT'S", "I T ' S |")]
    [InlineData("", "")]
    public void Fairseq_letter_labels_round_trip(string text, string letters)
    {
        Assert.Equal(letters, LetterLabels.ToLetters(text));
        Assert.Equal(text, LetterLabels.FromLetters(letters));
    }

    [Fact]
    public void Letter_labels_tolerate_missing_trailing_delimiters_and_extra_spaces()
    {
        Assert.Equal("AB CD", LetterLabels.FromLetters("  A B  |  C D"));
        Assert.Equal("AB CD", LetterLabels.FromLetters("| A B | | C D |"));
    }
}
