using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wav2Vec2Sharp.Configuration;

/// <summary>Reads and writes the Hugging Face JSON files of a model directory (snake_case keys, unknown keys kept).</summary>
public static class ConfigJson
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a <c>config.json</c> and validates it.</summary>
    /// <exception cref="ConfigException">The file is missing, is not valid JSON, has a value of the wrong type, or fails validation.</exception>
    public static Wav2Vec2Config ReadModelConfig(string path) => Read<Wav2Vec2Config>(path).Validate(path);

    /// <summary>Reads a <c>preprocessor_config.json</c> and validates it.</summary>
    public static FeatureExtractorConfig ReadFeatureExtractorConfig(string path) => Read<FeatureExtractorConfig>(path).Validate(path);

    /// <summary>Parses a model configuration from JSON text (no file involved).</summary>
    public static Wav2Vec2Config ParseModelConfig(string json, string source = "config.json")
    {
        try
        {
            return (JsonSerializer.Deserialize<Wav2Vec2Config>(json, Options)
                    ?? throw new ConfigException($"{source}: the file holds JSON null, not an object.")).Validate(source);
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{source}: {Describe(e)}.", e);
        }
    }

    /// <summary>Serialises a configuration as indented JSON, unknown keys included.</summary>
    public static string ToJson<T>(T config) => JsonSerializer.Serialize(config, Options);

    /// <summary>Writes <paramref name="config"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Write<T>(string path, T config) => AtomicFile.WriteAllText(path, ToJson(config) + "\n");

    private static T Read<T>(string path)
    {
        if (!File.Exists(path))
            throw new ConfigException($"{path}: file not found.");
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Options)
                   ?? throw new ConfigException($"{path}: the file holds JSON null, not an object.");
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{path}: {Describe(e)}.", e);
        }
        catch (IOException e)
        {
            throw new ConfigException($"{path}: cannot be read ({e.Message}).", e);
        }
    }

    private static string Describe(JsonException e)
    {
        var where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
        var key = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" (key {e.Path.TrimStart('$', '.')})";
        var first = e.Message.Split('.', 2)[0];
        return e.Path is not null && e.Path != "$" && first.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            ? $"invalid value{key}{where}"
            : $"invalid JSON{where}{key}: {first}";
    }
}
