using System.Text.Json;
using EncDec.Data;

namespace EncDec.Tests.Data;

/// <summary><see cref="JsonErrors"/>: the reader's 0-based "LineNumber | BytePositionInLine" suffix becomes a 1-based
/// line and byte, with the JSON path when the error has one.</summary>
public class JsonErrorsTests
{
    private sealed record Step(long Value);

    [Fact]
    public void MalformedJson_IsDescribedByOneBasedLineAndByte()
    {
        var error = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse("{\n  \"a\": 1,\n  }"));
        Assert.Equal($"line 3, byte 3: {JsonErrors.Reason(error)}", JsonErrors.Describe(error));
        Assert.DoesNotContain("LineNumber", JsonErrors.Reason(error));
    }

    [Fact]
    public void AValueOfTheWrongType_NamesItsPath()
    {
        var error = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Step>("{\"Value\": \"x\"}"));
        Assert.StartsWith("line 1, byte 14 (at $.Value): ", JsonErrors.Describe(error));
        Assert.DoesNotContain("Path:", JsonErrors.Describe(error));
    }
}
