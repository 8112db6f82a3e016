using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EncDec.Data;

namespace EncDec.Models;

/// <summary>
/// The JSON form of <see cref="ModelConfig"/>: camelCase, enums as their names, indented, every field
/// written (absent sub-configurations as null). Reading is strict so that a typo never silently turns
/// into a default: the field names of the whole tree are checked against the records before any value
/// is read, and every failure becomes an <see cref="InvalidDataException"/> naming the file and the field.
/// The one exception are the fields added after configs were first saved
/// (<see cref="AddedFields"/>: the Transformer variant fields and <c>tieSourceTargetEmbeddings</c>): files written before them omit them and get the defaults,
/// which are the architecture those files describe.
/// </summary>
internal static class ModelConfigJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Fields that may be missing (older files); their constructor defaults apply.</summary>
    private static readonly HashSet<string> AddedFields = new(StringComparer.Ordinal)
    {
        "tieSourceTargetEmbeddings",
        "transformer.norm", "transformer.bias", "transformer.scaleAttention", "transformer.positions",
        "transformer.learnedPositionOffset", "transformer.embeddingLayerNorm", "transformer.finalLogitsBias",
        "rnnEncoder.bidirectionalBottomLayerOnly", "rnnEncoder.residualFromLayer",
        "rnnDecoder.residualFromLayer", "rnnDecoder.attentionFromBottomLayer",
    };

    public static void Save(ModelConfig config, string path)
    {
        config.Validate();
        AtomicFile.WriteBytes(path, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(config, Options) + "\n"));
    }

    public static ModelConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model configuration '{path}' does not exist", path);
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }); }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw Bad(path, $"is not valid JSON ({e.Message})");
        }
        if (root is not JsonObject rootObject) throw Bad(path, "must hold a JSON object");
        CheckFields(rootObject, Options.GetTypeInfo(typeof(ModelConfig)), "", path);
        ModelConfig? config;
        try { config = rootObject.Deserialize<ModelConfig>(Options); }
        catch (JsonException e)
        {
            throw Bad(path, $"field '{FieldName(e.Path)}' has an invalid value ({JsonErrors.Reason(e)})");
        }
        if (config is null) throw Bad(path, "holds no configuration");
        try { config.Validate(); }
        catch (ArgumentException e) { throw Bad(path, $"is not a valid configuration: {e.Message}"); }
        return config;
    }

    /// <summary>Rejects unknown and missing fields, recursing into nested records (null sub-records are allowed).</summary>
    private static void CheckFields(JsonObject json, JsonTypeInfo info, string prefix, string path)
    {
        var known = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (key, value) in json)
        {
            if (!known.TryGetValue(key, out var property))
                throw Bad(path, $"has unknown field '{prefix}{key}' (expected one of: {string.Join(", ", known.Keys)})");
            if (value is JsonObject child && Options.GetTypeInfo(property.PropertyType) is { Kind: JsonTypeInfoKind.Object } childInfo)
                CheckFields(child, childInfo, $"{prefix}{key}.", path);
        }
        foreach (var name in known.Keys)
            if (!json.ContainsKey(name) && !AddedFields.Contains(prefix + name))
                throw Bad(path, $"is missing field '{prefix}{name}'");
    }

    /// <summary>"$.transformer.dModel" → "transformer.dModel".</summary>
    private static string FieldName(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) ? "(root)" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;

    private static InvalidDataException Bad(string path, string message) => new($"model configuration '{path}' {message}");

    private static JsonSerializerOptions CreateOptions()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        // Computed read-only properties (RnnEncoderConfig.OutputDim, RnnDecoderConfig.IsLuong) are not configuration.
        resolver.Modifiers.Add(info =>
        {
            if (info.Kind != JsonTypeInfoKind.Object) return;
            for (int i = info.Properties.Count - 1; i >= 0; i--)
                if (info.Properties[i].Set is null) info.Properties.RemoveAt(i);
        });
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = resolver,
        };
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }
}
