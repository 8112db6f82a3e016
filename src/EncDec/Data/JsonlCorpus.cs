using System.Text.Json;

namespace EncDec.Data;

/// <summary>One file of JSON objects, one a line, e.g. <c>{"source": "a dog", "target": "ein Hund"}</c>; the field
/// names come from <see cref="CorpusReadOptions"/>, other fields are ignored.</summary>
internal sealed class JsonlCorpus(string path, CorpusReadOptions options) : SingleFileCorpus(path, options)
{
    /// <inheritdoc />
    protected override (string? Reason, string? Problem) Parse(ReadOnlySpan<byte> line, out string? source, out string? target)
    {
        source = target = null;
        string? wrongType = null;
        if (line.Trim(" \t"u8).IsEmpty) return (CorpusSkipReason.MalformedJson, "empty line, expected a JSON object");
        try
        {
            var reader = new Utf8JsonReader(line, isFinalBlock: true, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return (CorpusSkipReason.MalformedJson, "not a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                bool wanted = name == Options.SourceField || name == Options.TargetField;
                if (wanted && reader.TokenType != JsonTokenType.String) wrongType ??= $"field \"{name}\" is {Describe(reader.TokenType)}, not a string";
                else if (name == Options.SourceField) source ??= reader.GetString();
                else if (name == Options.TargetField) target ??= reader.GetString();
                reader.Skip();
            }
            // A second value after the object is an error the reader raises here.
            while (reader.Read()) { }
        }
        catch (JsonException e)
        {
            return (CorpusSkipReason.MalformedJson, $"malformed JSON at byte {e.BytePositionInLine + 1}: {JsonErrors.Reason(e)}");
        }
        if (wrongType is not null) return (CorpusSkipReason.NonStringField, wrongType);
        string? missing = source is null ? Options.SourceField : target is null ? Options.TargetField : null;
        return missing is null ? (null, null) : (CorpusSkipReason.MissingField, $"no \"{missing}\" field");
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.Null => "null",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => type.ToString(),
    };
}
