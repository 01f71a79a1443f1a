using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Text;

public sealed class VocabularyBuilderTests
{
    private static string[] Tokens(Vocabulary v) => Enumerable.Range(0, v.Count).Select(i => v[i]).ToArray();

    [Fact]
    public void Specials_come_first_then_characters_by_descending_count_with_ordinal_ties()
    {
        var vocabulary = VocabularyBuilder.Build(["HELLO WORLD", "HELP"]);

        Assert.Equal(["<pad>", "<s>", "</s>", "<unk>", "|", "L", "E", "H", "O", "D", "P", "R", "W"], Tokens(vocabulary));
        Assert.Equal(0, vocabulary.BlankId);
        Assert.Equal("|", vocabulary.WordDelimiter);
        Assert.Equal("<unk>", vocabulary.UnkToken);
    }

    [Fact]
    public void Spaces_and_delimiters_are_never_tokens_and_order_of_texts_does_not_matter()
    {
        var a = VocabularyBuilder.Build(["A B\tC", "B  C|C", "IT'S"]);
        var b = VocabularyBuilder.Build(["IT'S", "B  C|C", "A B\tC"]);

        Assert.Equal(Tokens(a), Tokens(b));
        Assert.Equal(["<pad>", "<s>", "</s>", "<unk>", "|", "C", "B", "'", "A", "I", "S", "T"], Tokens(a));
    }

    [Fact]
    public void Counts_are_kept_and_rare_characters_can_be_left_out()
    {
        var builder = new VocabularyBuilder();
        builder.AddRange(["AAB", "AQ"]);

        Assert.Equal(3, builder.Counts["A"]);
        Assert.Equal(1, builder.Counts["Q"]);
        Assert.Equal(["<pad>", "<s>", "</s>", "<unk>", "|", "A"], Tokens(builder.ToVocabulary(minCount: 2)));
    }

    [Fact]
    public void Characters_are_code_points()
    {
        var vocabulary = VocabularyBuilder.Build(["𐐀e\u0301"]);

        Assert.Equal(["<pad>", "<s>", "</s>", "<unk>", "|", "e", "\u0301", "𐐀"], Tokens(vocabulary));
    }

    [Fact]
    public void Tokenizer_files_are_written_in_the_hf_layout_and_read_back()
    {
        using var dir = new TempDir();
        var vocabulary = VocabularyBuilder.Build(["HELLO WORLD"]);

        TokenizerFiles.Save(dir.Root, vocabulary);

        var vocab = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Root, "vocab.json")))!.AsObject();
        Assert.Equal(0, (int)vocab["<pad>"]!);
        Assert.Equal(4, (int)vocab["|"]!);
        Assert.Equal(5, (int)vocab["L"]!);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Root, "tokenizer_config.json")))!.AsObject();
        Assert.Equal("Wav2Vec2CTCTokenizer", (string)config["tokenizer_class"]!);
        Assert.Equal("<unk>", (string)config["unk_token"]!);
        Assert.Equal("<pad>", (string)config["pad_token"]!);
        Assert.Equal("<s>", (string)config["bos_token"]!);
        Assert.Equal("</s>", (string)config["eos_token"]!);
        Assert.Equal("|", (string)config["word_delimiter_token"]!);
        Assert.False((bool)config["do_lower_case"]!);
        var special = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Root, "special_tokens_map.json")))!.AsObject();
        Assert.Equal(["bos_token", "eos_token", "unk_token", "pad_token"], special.Select(kv => kv.Key));
        Assert.Empty(Directory.GetFiles(dir.Root, "*.tmp"));

        var loaded = TokenizerFiles.Load(dir.Root);
        Assert.Equal(Tokens(vocabulary), Tokens(loaded));
        Assert.False(loaded.LowerCaseOutput);
    }

    [Fact]
    public void Custom_special_token_names_and_lower_case_flag_survive_a_round_trip()
    {
        using var dir = new TempDir();
        var vocabulary = new Vocabulary(["[PAD]", "[UNK]", "/", "A", "B"], padToken: "[PAD]", wordDelimiter: "/", unkToken: "[UNK]", lowerCaseOutput: true);

        TokenizerFiles.Save(dir.Root, vocabulary);
        var loaded = TokenizerFiles.Load(dir.Root);

        Assert.Equal("[PAD]", loaded.PadToken);
        Assert.Equal("/", loaded.WordDelimiter);
        Assert.Equal("[UNK]", loaded.UnkToken);
        Assert.True(loaded.LowerCaseOutput);
        Assert.Equal(0, loaded.BlankId);
    }
}
