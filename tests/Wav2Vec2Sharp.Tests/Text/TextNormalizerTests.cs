using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Text;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("Hello, World!  It's 5 o’clock — “fine”.", "HELLO WORLD IT'S 5 O'CLOCK FINE")]
    [InlineData("  don't   stop\tbelieving\n", "DON'T STOP BELIEVING")]
    [InlineData("'Tis the dogs' ‘bone’", "TIS THE DOGS BONE")]
    [InlineData("rock 'n' roll", "ROCK N ROLL")]
    [InlineData("well-known state-of-the-art", "WELL KNOWN STATE OF THE ART")]
    [InlineData("U.S.A. (and/or) e.g.", "USA AND OR EG")]
    [InlineData("wait...what.. so…then", "WAIT WHAT SO THEN")]
    [InlineData("ﬁne ｗｉｄｅ ２ x²", "FINE WIDE 2 X2")]
    [InlineData("café naïve Straße", "CAFÉ NAÏVE STRAßE")] // invariant upper-casing maps one character to one
    [InlineData("tom & jerry + 5$", "TOM JERRY 5")]
    [InlineData("don''t", "DON T")]
    [InlineData("Rock`n´roll it‛s", "ROCK'N'ROLL IT'S")]
    [InlineData("«Bonjour», dit‐il…", "BONJOUR DIT IL")]
    [InlineData("zero\u200Bwidth", "ZEROWIDTH")]
    [InlineData("!!! ... ???", "")]
    [InlineData("", "")]
    public void Default_options_give_upper_case_words_without_punctuation(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Default.Normalize(input));
    }

    [Fact]
    public void Nfkc_composes_decomposed_accents()
    {
        Assert.Equal("CAFÉ", TextNormalizer.Default.Normalize("cafe\u0301"));
        Assert.Equal("\u00C9", TextNormalizer.Default.Normalize("e\u0301"));
    }

    [Fact]
    public void Lower_case_and_kept_case_are_options()
    {
        var lower = new TextNormalizer(new TextNormalizerOptions { Case = LetterCase.Lower });
        var keep = new TextNormalizer(new TextNormalizerOptions { Case = LetterCase.Keep });

        Assert.Equal("hello world it's", lower.Normalize("Hello, WORLD! It’s"));
        Assert.Equal("Hello WORLD It's", keep.Normalize("Hello, WORLD! It’s"));
    }

    [Fact]
    public void Digits_can_be_dropped()
    {
        var normalizer = new TextNormalizer(new TextNormalizerOptions { KeepDigits = false });

        Assert.Equal("AT O'CLOCK IN THE S", normalizer.Normalize("at 5 o'clock in the 80's"));
        Assert.Equal("ROOM", normalizer.Normalize("room 101"));
    }

    [Fact]
    public void Apostrophes_can_be_dropped()
    {
        var normalizer = new TextNormalizer(new TextNormalizerOptions { KeepApostrophes = false });

        Assert.Equal("DON T", normalizer.Normalize("don't"));
    }

    [Fact]
    public void Other_scripts_and_combining_marks_are_kept()
    {
        Assert.Equal("ПРИВЕТ МИР", TextNormalizer.Default.Normalize("Привет, мир!"));
        Assert.Equal("नमस्ते दुनिया", TextNormalizer.Default.Normalize("नमस्ते, दुनिया।"));
        Assert.Equal("你好世界", TextNormalizer.Default.Normalize("你好，世界。"));
    }

    [Fact]
    public void Astral_characters_and_lone_surrogates_are_handled()
    {
        Assert.Equal("A B", TextNormalizer.Default.Normalize("a \U0001F600 𝐁"));
        Assert.Equal("\U00010400", TextNormalizer.Default.Normalize("\U00010428"));
        Assert.Equal("A B", TextNormalizer.Default.Normalize("a\uD800b"));
    }

    [Theory]
    [InlineData("Hello, World!  It's 5 o’clock — “fine”.")]
    [InlineData("'Tis the dogs' ‘bone’ rock 'n' roll")]
    [InlineData("«Bonjour», dit‐il… U.S.A.")]
    public void Normalising_twice_changes_nothing(string input)
    {
        var once = TextNormalizer.Default.Normalize(input);

        Assert.Equal(once, TextNormalizer.Default.Normalize(once));
    }
}
