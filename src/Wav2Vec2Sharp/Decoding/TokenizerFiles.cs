using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wav2Vec2Sharp.Decoding;

/// <summary>
/// Reads and writes the tokenizer files of a Hugging Face <c>Wav2Vec2CTCTokenizer</c>: <c>vocab.json</c>,
/// <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>, so that <c>AutoTokenizer.from_pretrained</c>
/// (or <c>Wav2Vec2Processor</c>) loads the directory.
/// </summary>
/// <example>
/// <code>
/// TokenizerFiles.Save("out/model", VocabularyBuilder.Build(texts));
/// var vocabulary = TokenizerFiles.Load("out/model");
/// </code>
/// </example>
public static class TokenizerFiles
{
    /// <summary>The token → id map.</summary>
    public const string VocabFileName = "vocab.json";

    /// <summary>The tokenizer settings (special tokens, <c>do_lower_case</c>, <c>tokenizer_class</c>).</summary>
    public const string ConfigFileName = "tokenizer_config.json";

    /// <summary>The special-token map.</summary>
    public const string SpecialTokensFileName = "special_tokens_map.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the three tokenizer files into <paramref name="directory"/> (created if needed), each atomically.</summary>
    public static void Save(string directory, Vocabulary vocabulary)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(vocabulary);
        Directory.CreateDirectory(directory);
        vocabulary.Save(Path.Combine(directory, VocabFileName));
        var config = new JsonObject
        {
            ["tokenizer_class"] = "Wav2Vec2CTCTokenizer",
            ["unk_token"] = vocabulary.UnkToken,
            ["pad_token"] = vocabulary.PadToken,
            ["bos_token"] = vocabulary.BosToken,
            ["eos_token"] = vocabulary.EosToken,
            ["word_delimiter_token"] = vocabulary.WordDelimiter,
            ["replace_word_delimiter_char"] = " ",
            ["do_lower_case"] = vocabulary.LowerCaseOutput,
        };
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), config.ToJsonString(JsonOptions) + "\n");
        var special = new JsonObject
        {
            ["bos_token"] = vocabulary.BosToken,
            ["eos_token"] = vocabulary.EosToken,
            ["unk_token"] = vocabulary.UnkToken,
            ["pad_token"] = vocabulary.PadToken,
        };
        AtomicFile.WriteAllText(Path.Combine(directory, SpecialTokensFileName), special.ToJsonString(JsonOptions) + "\n");
    }

    /// <summary>
    /// Reads <c>vocab.json</c> from <paramref name="directory"/>, with the token names and <c>do_lower_case</c> of the
    /// <c>tokenizer_config.json</c> beside it (see <see cref="Vocabulary.Load"/>).
    /// </summary>
    /// <exception cref="ConfigException">A file is missing or invalid.</exception>
    public static Vocabulary Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return Vocabulary.Load(Path.Combine(directory, VocabFileName));
    }
}
