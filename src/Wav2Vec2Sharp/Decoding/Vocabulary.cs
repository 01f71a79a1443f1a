using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wav2Vec2Sharp.Decoding;

/// <summary>
/// The output symbols of a CTC model, as in a Hugging Face <c>vocab.json</c> (token → id) read by
/// <c>Wav2Vec2CTCTokenizer</c>: <c>&lt;pad&gt;</c> is the CTC blank, <c>|</c> separates words.
/// </summary>
public sealed class Vocabulary
{
    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

    /// <summary>Creates a vocabulary from tokens listed by id.</summary>
    public Vocabulary(IReadOnlyList<string> tokensById, string padToken = "<pad>", string wordDelimiter = "|",
        string unkToken = "<unk>", string bosToken = "<s>", string eosToken = "</s>", bool lowerCaseOutput = false)
    {
        _tokens = tokensById.ToArray();
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _tokens.Length; i++)
        {
            if (!_ids.TryAdd(_tokens[i], i))
                throw new ArgumentException($"token \"{_tokens[i]}\" appears twice", nameof(tokensById));
        }
        PadToken = padToken;
        WordDelimiter = wordDelimiter;
        UnkToken = unkToken;
        BosToken = bosToken;
        EosToken = eosToken;
        LowerCaseOutput = lowerCaseOutput;
    }

    /// <summary>Number of tokens (the CTC head's output size).</summary>
    public int Count => _tokens.Length;

    /// <summary>The blank/padding token.</summary>
    public string PadToken { get; }

    /// <summary>The word delimiter, decoded as a space.</summary>
    public string WordDelimiter { get; }

    /// <summary>The unknown-character token.</summary>
    public string UnkToken { get; }

    /// <summary>The begin-of-sentence token (dropped when decoding).</summary>
    public string BosToken { get; }

    /// <summary>The end-of-sentence token (dropped when decoding).</summary>
    public string EosToken { get; }

    /// <summary>Whether decoded text is lower-cased (HF tokenizer <c>do_lower_case</c>).</summary>
    public bool LowerCaseOutput { get; }

    /// <summary>Id of the blank (pad) token, or −1 when the vocabulary has none.</summary>
    public int BlankId => _ids.GetValueOrDefault(PadToken, -1);

    /// <summary>The token with id <paramref name="id"/>.</summary>
    public string this[int id] => _tokens[id];

    /// <summary>The id of <paramref name="token"/>, if present.</summary>
    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    /// <summary>Whether the token with this id prints nothing (pad, bos, eos).</summary>
    public bool IsSilent(int id) => _tokens[id] == PadToken || _tokens[id] == BosToken || _tokens[id] == EosToken;

    /// <summary>
    /// Reads <c>vocab.json</c> and, when present beside it, the token names in <c>tokenizer_config.json</c>.
    /// </summary>
    /// <exception cref="ConfigException">The file is missing, is not a flat token → id object, or the ids are not 0..N−1.</exception>
    public static Vocabulary Load(string path)
    {
        if (!File.Exists(path))
            throw new ConfigException($"{path}: file not found.");
        JsonObject map;
        try
        {
            map = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ConfigException($"{path}: not a JSON object of token → id.", e);
        }
        var tokens = new string?[map.Count];
        foreach (var (token, node) in map)
        {
            int id;
            try
            {
                id = node!.GetValue<int>();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
            {
                throw new ConfigException($"{path}: token \"{token}\" has a value that is not an integer id (nested per-language vocabularies are not supported).", e);
            }
            if (id < 0 || id >= tokens.Length || tokens[id] is not null)
                throw new ConfigException($"{path}: ids must be 0..{tokens.Length - 1} without repeats, but \"{token}\" has id {id}.");
            tokens[id] = token;
        }

        var settings = ReadTokenizerConfig(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "tokenizer_config.json"));
        return new Vocabulary(tokens!, settings.GetValueOrDefault("pad_token") ?? "<pad>",
            settings.GetValueOrDefault("word_delimiter_token") ?? "|", settings.GetValueOrDefault("unk_token") ?? "<unk>",
            settings.GetValueOrDefault("bos_token") ?? "<s>", settings.GetValueOrDefault("eos_token") ?? "</s>",
            settings.GetValueOrDefault("do_lower_case") == "true");
    }

    /// <summary>Writes <c>vocab.json</c> (token → id, in id order) atomically.</summary>
    public void Save(string path)
    {
        var map = new JsonObject();
        for (int i = 0; i < _tokens.Length; i++)
            map[_tokens[i]] = i;
        AtomicFile.WriteAllText(path, map.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    private static Dictionary<string, string?> ReadTokenizerConfig(string path)
    {
        var result = new Dictionary<string, string?>();
        if (!File.Exists(path))
            return result;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject config)
                return result;
            foreach (var key in new[] { "pad_token", "word_delimiter_token", "unk_token", "bos_token", "eos_token", "do_lower_case" })
            {
                var node = config[key];
                // Special tokens may be plain strings or AddedToken objects {"content": ...}.
                result[key] = node switch
                {
                    JsonObject added => added["content"]?.ToString(),
                    JsonValue flag when flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False => flag.GetValueKind() == JsonValueKind.True ? "true" : "false",
                    _ => node?.ToString(),
                };
            }
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{path}: invalid JSON ({e.Message.Split('.')[0]}).", e);
        }
        return result;
    }
}
