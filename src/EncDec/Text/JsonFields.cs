using System.Text.Json;

namespace EncDec.Text;

/// <summary>
/// Reading fields of tokenizer JSON files with errors that name the file and the field (<c>model.vocab</c>,
/// <c>added_tokens[3].id</c>) instead of a <see cref="KeyNotFoundException"/> or a bare <see cref="JsonException"/>.
/// </summary>
internal static class JsonFields
{
    /// <summary>Parses strict UTF-8 JSON.</summary>
    /// <exception cref="InvalidDataException">Invalid UTF-8 or malformed JSON, naming <paramref name="source"/> and the line.</exception>
    public static JsonDocument Parse(ReadOnlySpan<byte> utf8, string source)
    {
        var body = Utf8TextFile.StripByteOrderMark(utf8);
        Utf8TextFile.ThrowIfInvalid(body, source, utf8.Length - body.Length);
        try
        {
            return JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException error)
        {
            throw new InvalidDataException(
                $"'{source}': malformed JSON on line {error.LineNumber + 1}, at byte {error.BytePositionInLine + 1} of the line", error);
        }
    }

    /// <summary>The field <paramref name="name"/> of <paramref name="parent"/>, which must be present, non-null and of kind <paramref name="kind"/>.</summary>
    public static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string path, string source)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new InvalidDataException($"'{source}': missing field '{path}'");
        ExpectKind(value, kind, path, source);
        return value;
    }

    /// <summary>The field <paramref name="name"/>, or null when it is absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A boolean field, or <paramref name="fallback"/> when it is absent or null.</summary>
    public static bool OptionalBool(JsonElement parent, string name, bool fallback, string path, string source)
    {
        if (Optional(parent, name) is not { } value) return fallback;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongKind(value, "a boolean", path, source),
        };
    }

    /// <summary>A string field, or null when it is absent or null.</summary>
    public static string? OptionalString(JsonElement parent, string name, string path, string source)
    {
        if (Optional(parent, name) is not { } value) return null;
        ExpectKind(value, JsonValueKind.String, path, source);
        return GetString(value, path, source);
    }

    /// <summary>The string value of <paramref name="value"/>.</summary>
    public static string GetString(JsonElement value, string path, string source)
    {
        ExpectKind(value, JsonValueKind.String, path, source);
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException error)
        {
            // An escaped lone surrogate ("\ud800") is not text.
            throw new InvalidDataException($"'{source}': '{path}' is not a valid string", error);
        }
    }

    /// <summary>A non-negative 32-bit integer.</summary>
    public static int GetId(JsonElement value, string path, string source)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int id) || id < 0)
            throw WrongKind(value, "a non-negative integer", path, source);
        return id;
    }

    /// <summary>Reads a token → id object (<c>model.vocab</c>, <c>vocab.json</c>); a repeated token or id is an error.</summary>
    public static Dictionary<string, int> ReadVocabulary(JsonElement vocab, string path, string source)
    {
        ExpectKind(vocab, JsonValueKind.Object, path, source);
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        var owners = new Dictionary<int, string>();
        foreach (var entry in vocab.EnumerateObject())
        {
            string entryPath = $"{path}[\"{entry.Name}\"]";
            int id = GetId(entry.Value, entryPath, source);
            if (!tokens.TryAdd(entry.Name, id))
                throw new InvalidDataException($"'{source}': token \"{entry.Name}\" appears twice in '{path}'");
            if (!owners.TryAdd(id, entry.Name))
                throw new InvalidDataException($"'{source}': id {id} is given to both \"{owners[id]}\" and \"{entry.Name}\" in '{path}'");
        }
        return tokens;
    }

    /// <summary>Throws unless <paramref name="value"/> is of kind <paramref name="kind"/>.</summary>
    public static void ExpectKind(JsonElement value, JsonValueKind kind, string path, string source)
    {
        if (value.ValueKind != kind) throw WrongKind(value, Describe(kind), path, source);
    }

    private static InvalidDataException WrongKind(JsonElement value, string expected, string path, string source) =>
        new($"'{source}': '{path}' should be {expected}, not {Describe(value.ValueKind)}{Preview(value)}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Preview(JsonElement value) =>
        value.ValueKind is JsonValueKind.Number or JsonValueKind.String ? $" ({Truncate(value.GetRawText())})" : "";

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
