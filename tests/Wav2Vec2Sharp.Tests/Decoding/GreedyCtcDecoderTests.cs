using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Decoding;

public sealed class GreedyCtcDecoderTests
{
    private static readonly Vocabulary Letters = new(["<pad>", "<s>", "</s>", "<unk>", "|", "E", "H", "L", "O", "W", "R", "D"]);

    private static int[] Ids(string frames) => frames.Split(' ').Select(t => t switch
    {
        "_" => 0, "|" => 4, "<s>" => 1, "</s>" => 2, "<unk>" => 3,
        _ => Enumerable.Range(0, Letters.Count).First(i => Letters[i] == t),
    }).ToArray();

    [Theory]
    [InlineData("_ H H _ E L L _ L O O | | W O _ R L D _", "HELLO WORLD")]
    [InlineData("H E L L O", "HELO")]
    [InlineData("| | H | _ | I", "H <unk>")]
    [InlineData("_ _ _", "")]
    [InlineData("<s> W O R L D </s>", "WORLD")]
    public void Repeats_collapse_blanks_vanish_and_delimiters_become_single_spaces(string frames, string expected)
    {
        var input = frames.Replace("I", "<unk>");
        Assert.Equal(expected, new GreedyCtcDecoder(Letters).Decode(Ids(input)));
    }

    [Fact]
    public void Best_path_takes_the_argmax_of_each_frame()
    {
        float[] logits = [0.1f, 0.9f, 0.0f, /**/ 2f, -1f, 3f, /**/ 5f, 5f, 4f];

        Assert.Equal([1, 2, 0], GreedyCtcDecoder.BestPath(logits, 3, 3));
    }

    [Fact]
    public void Vocabulary_round_trips_through_vocab_json()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("w2v-vocab-").FullName, "vocab.json");

        Letters.Save(path);
        var loaded = Vocabulary.Load(path);

        Assert.Equal(Enumerable.Range(0, Letters.Count).Select(i => Letters[i]), Enumerable.Range(0, loaded.Count).Select(i => loaded[i]));
        Assert.Equal(0, loaded.BlankId);
    }

    [Fact]
    public void Fixture_vocabulary_reads_the_hf_layout()
    {
        var vocabulary = Vocabulary.Load(Fixtures.Path("parity/group_postln_nobias/vocab.json"));

        Assert.Equal(12, vocabulary.Count);
        Assert.Equal(("<pad>", "|", "H"), (vocabulary[0], vocabulary[4], vocabulary[11]));
    }

    [Fact]
    public void Vocabulary_with_gaps_in_its_ids_is_rejected()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("w2v-vocab-").FullName, "vocab.json");
        File.WriteAllText(path, "{\"<pad>\": 0, \"A\": 2}");

        var error = Assert.Throws<ConfigException>(() => Vocabulary.Load(path));

        Assert.Equal($"{path}: ids must be 0..1 without repeats, but \"A\" has id 2.", error.Message);
    }
}
