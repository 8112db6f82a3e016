using System.Text;
using System.Text.Json;
using EncDec.Data;

namespace EncDec.Interop;

/// <summary>
/// Parses and validates a safetensors JSON header as the Hugging Face reference does: valid UTF-8
/// JSON object, known dtypes, shape × dtype size equal to each byte range, and ranges that tile the
/// data buffer exactly (sorted by offset, no holes, no overlaps, ending at the buffer's end).
/// Every failure is an <see cref="InvalidDataException"/> naming the file and the tensor.
/// </summary>
internal static class SafeTensorsHeader
{
    /// <summary>Key of the optional string-to-string metadata object.</summary>
    public const string MetadataKey = "__metadata__";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Entries in header order and the metadata, checked against a data buffer of <paramref name="bufferLength"/> bytes.</summary>
    public static (List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(
        ReadOnlySpan<byte> header, long bufferLength, string path)
    {
        string text;
        try { text = StrictUtf8.GetString(header); }
        catch (DecoderFallbackException e) { throw Invalid(path, $"header is not valid UTF-8 ({e.Message})"); }
        if (!text.StartsWith('{')) throw Invalid(path, "header does not start with '{'");

        JsonDocument document;
        try { document = JsonDocument.Parse(text); }
        catch (JsonException e) { throw Invalid(path, $"header is not valid JSON ({JsonErrors.Describe(e)})"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Invalid(path, "header is not a JSON object");
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name)) throw Invalid(path, $"tensor '{property.Name}' appears twice in the header");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, path);
                else entries.Add(ReadEntry(property.Name, property.Value, path));
            }
            CheckTiling(entries, bufferLength, path);
            return (entries, metadata);
        }
    }

    /// <summary>An exception naming the file, as every safetensors error does.</summary>
    public static InvalidDataException Invalid(string path, string message) => new($"safetensors file '{path}': {message}");

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Invalid(path, $"'{MetadataKey}' must be an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Invalid(path, $"metadata value '{item.Name}' is not a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Invalid(path, $"metadata key '{item.Name}' appears twice");
        }
    }

    private static SafeTensorsEntry ReadEntry(string name, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Invalid(path, $"tensor '{name}': entry is not an object");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Invalid(path, $"tensor '{name}': missing string field 'dtype'");
        if (!SafeTensorsDTypes.TryParse(dtypeElement.GetString()!, out var dtype))
            throw Invalid(path, $"tensor '{name}': unknown dtype '{dtypeElement.GetString()}'");
        var shape = ReadIntegers(value, "shape", name, path, int.MaxValue).Select(d => (int)d).ToArray();
        var offsets = ReadIntegers(value, "data_offsets", name, path, long.MaxValue);
        if (offsets.Length != 2) throw Invalid(path, $"tensor '{name}': 'data_offsets' must hold two numbers, not {offsets.Length}");
        var entry = new SafeTensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
        if (entry.End < entry.Begin)
            throw Invalid(path, $"tensor '{name}': data_offsets [{entry.Begin}, {entry.End}] end before they begin");
        long expected;
        try { expected = checked(shape.Aggregate(1L, (count, d) => checked(count * d)) * SafeTensorsDTypes.SizeOf(dtype)); }
        catch (OverflowException) { throw Invalid(path, $"tensor '{name}': shape {entry.FormatShape()} is too large"); }
        if (expected != entry.ByteLength)
            throw Invalid(path, $"tensor '{name}': shape {entry.FormatShape()} of {dtypeElement.GetString()} needs {expected} bytes " +
                $"but data_offsets [{entry.Begin}, {entry.End}] cover {entry.ByteLength}");
        return entry;
    }

    private static long[] ReadIntegers(JsonElement entry, string field, string name, string path, long max)
    {
        if (!entry.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Invalid(path, $"tensor '{name}': missing array field '{field}'");
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0 || v > max)
                throw Invalid(path, $"tensor '{name}': '{field}' holds {item.GetRawText()}, not an integer in [0, {max}]");
            values[i++] = v;
        }
        return values;
    }

    /// <summary>The reference rejects holes as well as overlaps: sorted ranges must run 0 → bufferLength back to back.</summary>
    private static void CheckTiling(List<SafeTensorsEntry> entries, long bufferLength, string path)
    {
        long position = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != position)
            {
                string problem = entry.Begin < position ? "overlaps the previous tensor" : "leaves a gap after the previous tensor";
                throw Invalid(path, $"tensor '{entry.Name}': data_offsets [{entry.Begin}, {entry.End}] {problem} (expected to begin at {position})");
            }
            if (entry.End > bufferLength)
                throw Invalid(path, $"tensor '{entry.Name}': data_offsets [{entry.Begin}, {entry.End}] run past the data buffer of {bufferLength} bytes");
            position = entry.End;
        }
        if (position != bufferLength)
            throw Invalid(path, $"data buffer holds {bufferLength} bytes but the tensors cover {position}");
    }
}
