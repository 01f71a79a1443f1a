using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Corpus;

public sealed class SentenceSourceTests
{
    [Theory]
    [InlineData("“Don’t PANIC,” he said—quietly.", "don't panic he said quietly")]
    [InlineData("The dogs' bowls are 'empty' now!", "the dogs bowls are empty now")]
    [InlineData("Well-known facts: rarely wrong; always dull.", "well known facts rarely wrong always dull")]
    [InlineData("  Why   is the\tsky\nblue?  ", "why is the sky blue")]
    [InlineData("our successors...may be graver, more inured", "our successors may be graver more inured")]
    [InlineData("and then\u2026 nothing at all", "and then nothing at all")]
    [InlineData("It's the ﬁnal countdown, isn't it?", "it's the final countdown isn't it")]
    [InlineData("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty",
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty")]
    public void Clean_GivesLowerCaseLettersAndInnerApostrophes(string raw, string expected) =>
        Assert.Equal(expected, SentenceSource.Clean(raw));

    [Theory]
    [InlineData("I have 3 cats and a dog.")]                  // digits are read as number words
    [InlineData("I have ² cats and a dog.")]                  // so are other numbers
    [InlineData("Rock & roll will never die.")]               // "&" is read as "and"
    [InlineData("It costs $ten or so today.")]                // "$" is read as "dollars"
    [InlineData("Type cd /usr/share and look around.")]       // a path
    [InlineData("See www.debian.org for the details.")]       // a full stop between letters
    [InlineData("Do it now, e.g. before lunch.")]             // an abbreviation
    [InlineData("Mr Smith went to town today.")]              // a word without a vowel is spelt out
    [InlineData("Le café est très bon ici.")]                 // letters outside a-z
    [InlineData("Supercalifragilisticexpialidocious is a word.")] // a word of more than 15 letters
    [InlineData("Too short here.")]                           // 3 words
    [InlineData("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty more")]
    [InlineData("... --- !!!")]
    public void Clean_RejectsTextAnEngineWouldNotReadLetterForLetter(string raw) =>
        Assert.Null(SentenceSource.Clean(raw));

    [Fact]
    public void SplitSentences_SplitsAfterFinalPunctuationAndClosingQuotes()
    {
        var parts = SentenceSource.SplitSentences("He said \"stop it now.\" Then he left!\nWas it late?  Yes.\r\nThe end").ToArray();
        Assert.Equal(["He said \"stop it now.\"", "Then he left!", "Was it late?", "Yes.", "The end"], parts);
    }

    [Fact]
    public void ReadFortunes_SplitsOnPercentLinesAndDropsAttributions()
    {
        var text = "A fortune line one\ncontinues here.\n\t\t-- Someone Famous\n%\nSecond one.\n  \u2014 Another Person\n%\n";
        var fortunes = SentenceSource.ReadFortunes(text).ToArray();
        Assert.Equal(["A fortune line one\ncontinues here.\n", "Second one.\n"], fortunes);
    }

    [Fact]
    public void ReadWordNetExamples_TakesTheQuotedExamplesOfGlosses()
    {
        var text = "  1 This software and database is being provided \"as is\" to you\n"
            + "00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 | that which is perceived; \"the entity was a big one\"; \"another example here now\"  \n"
            + "00002137 03 n 02 abstraction 0 abstract_entity 0 010 | a general concept without examples\n";
        Assert.Equal(["the entity was a big one", "another example here now"], SentenceSource.ReadWordNetExamples(text).ToArray());
    }

    [Fact]
    public void FromTexts_CleansSplitsAndDeduplicatesInOrder()
    {
        var source = SentenceSource.FromTexts(
            ["The cat sat on the mat. A dog ran in the park!", "the cat sat on the MAT", "Only 2 cats here today.", "Birds sing in the morning."],
            "memory");
        Assert.Equal(["the cat sat on the mat", "a dog ran in the park", "birds sing in the morning"], source.Sentences);
        Assert.Equal(["memory"], source.Origins);
    }

    [Fact]
    public void FromSystem_ReadsFortuneFilesAndWordNetExamples()
    {
        using var dir = new TempDir();
        var fortunes = Directory.CreateDirectory(Path.Combine(dir.Root, "fortunes")).FullName;
        var wordnet = Directory.CreateDirectory(Path.Combine(dir.Root, "wordnet")).FullName;
        File.WriteAllText(Path.Combine(fortunes, "zoo"), "Never feed the hungry tigers.\n%\nThe owl sees well at night.\n");
        File.WriteAllText(Path.Combine(fortunes, "art"), "Art is long and life is short.\n%\n");
        File.WriteAllText(Path.Combine(fortunes, "art.dat"), "binary index files are not read at all");
        Directory.CreateDirectory(Path.Combine(fortunes, "off"));
        File.WriteAllText(Path.Combine(wordnet, "data.noun"), "00001 03 n 01 x 0 000 | a thing; \"the thing was very small\"\n");

        var source = SentenceSource.FromSystem(fortunes, wordnet);

        Assert.Equal(["art is long and life is short", "never feed the hungry tigers", "the owl sees well at night", "the thing was very small"], source.Sentences);
        Assert.Equal([Path.Combine(fortunes, "art"), Path.Combine(fortunes, "zoo"), Path.Combine(wordnet, "data.noun")], source.Origins);
    }

    [Fact]
    public void FromSystem_WithoutSources_SaysWhatToInstall()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<CorpusException>(() => SentenceSource.FromSystem(Path.Combine(dir.Root, "none"), Path.Combine(dir.Root, "none2")));
        Assert.Contains("install fortunes or wordnet-base, or pass --text FILE", e.Message);
        Assert.IsAssignableFrom<Wav2Vec2SharpException>(e);
    }

    [Fact]
    public void FromTextFile_SplitsEachLineOnItsOwn()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Root, "text.txt");
        File.WriteAllText(path, "the first line has no full stop\nThe second line has two. Both are long enough\n\nshort one\n");
        var source = SentenceSource.FromTextFile(path);
        Assert.Equal(["the first line has no full stop", "the second line has two", "both are long enough"], source.Sentences);
    }

    [Fact]
    public void FromTextFile_MissingOrUseless_Throws()
    {
        using var dir = new TempDir();
        var missing = Assert.Throws<CorpusException>(() => SentenceSource.FromTextFile(Path.Combine(dir.Root, "missing.txt")));
        Assert.Contains("missing.txt", missing.Message);
        var useless = Path.Combine(dir.Root, "useless.txt");
        File.WriteAllText(useless, "1 2 3 4 5\nhi\n");
        var e = Assert.Throws<CorpusException>(() => SentenceSource.FromTextFile(useless));
        Assert.Contains("no usable sentence", e.Message);
    }

    [Fact]
    public void Shuffled_IsASeededPermutation()
    {
        var source = SentenceSource.FromTexts(CorpusFixtures.Sentences(200));
        var a = source.Shuffled(3);
        Assert.Equal(a, source.Shuffled(3));
        Assert.NotEqual(a, source.Shuffled(4));
        Assert.NotEqual(source.Sentences, a);
        Assert.Equal(source.Sentences.Order(StringComparer.Ordinal), a.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ConnectedDigits_AreDistinctSeededStringsOfElevenWords()
    {
        var source = SentenceSource.ConnectedDigits(2000, seed: 1);
        string[] vocabulary = ["zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

        Assert.Equal(2000, source.Sentences.Count);
        Assert.Equal(2000, source.Sentences.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["connected digits (seed 1)"], source.Origins);
        var words = source.Sentences.Select(s => s.Split(' ')).ToArray();
        Assert.All(words, w => Assert.InRange(w.Length, SentenceSource.MinWords, SentenceSource.MaxDigits));
        Assert.Equal(vocabulary.Order(), words.SelectMany(w => w).Distinct().Order());
        Assert.Equal(Enumerable.Range(SentenceSource.MinWords, SentenceSource.MaxDigits - SentenceSource.MinWords + 1), words.Select(w => w.Length).Distinct().Order());
        Assert.All(source.Sentences, s => Assert.Equal(s, SentenceSource.Clean(s)));
        double zeroShare = words.SelectMany(w => w).Count(w => w is "zero" or "oh") / (double)words.Sum(w => w.Length);
        Assert.InRange(zeroShare, 0.08, 0.12);

        Assert.Equal(source.Sentences, SentenceSource.ConnectedDigits(2000, seed: 1).Sentences);
        Assert.NotEqual(source.Sentences.Take(20), SentenceSource.ConnectedDigits(20, seed: 2).Sentences);
    }
}
