using System.Text.Json;
using System.Text.RegularExpressions;

namespace EncDec.Data;

/// <summary>
/// <see cref="JsonException"/> messages in the terms of the file a user opens: System.Text.Json ends its messages
/// with "Path: $.x | LineNumber: 0 | BytePositionInLine: 15.", counting from 0; errors here say "line 1, byte 16".
/// </summary>
internal static partial class JsonErrors
{
    [GeneratedRegex(@"\s*(Path: [^|]*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?$")]
    private static partial Regex PositionSuffix();

    /// <summary>The reason alone, without the reader's position suffix.</summary>
    public static string Reason(JsonException error) => PositionSuffix().Replace(error.Message, "");

    /// <summary>"line 3, byte 16 (at $.step): reason", 1-based, or the reason alone when the error has no position.</summary>
    public static string Describe(JsonException error)
    {
        string at = error.Path is { Length: > 1 } path ? $" (at {path})" : "";
        return error.LineNumber is { } line && error.BytePositionInLine is { } b
            ? $"line {line + 1}, byte {b + 1}{at}: {Reason(error)}"
            : $"{Reason(error)}{at}";
    }
}
