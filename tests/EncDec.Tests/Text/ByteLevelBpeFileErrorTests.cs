using System.Text;
using System.Text.Json.Nodes;
using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// Malformed <c>tokenizer.json</c>, <c>vocab.json</c> and <c>merges.txt</c> files end in an
/// <see cref="InvalidDataException"/> naming the file and what is wrong (the field, or the line), and components
/// this library does not implement in a <see cref="NotSupportedException"/>: never another exception, never a
/// tokenizer that silently encodes differently.
/// </summary>
public sealed class ByteLevelBpeFileErrorTests : IDisposable
{
    private readonly TinyByteLevelBpe files = new();

    public void Dispose() => files.Dispose();

    private InvalidDataException LoadFails(string text, string name = "tokenizer.json")
    {
        string path = files.Write(name, text);
        var error = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(path));
        Assert.Contains($"'{path}'", error.Message);
        return error;
    }

    private InvalidDataException LoadFails(JsonObject json) => LoadFails(json.ToJsonString());

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"model\": }")]
    [InlineData("{\"model\": {\"vocab\": {}, \"merges\": []},}")]
    [InlineData("not json")]
    public void MalformedJson_NamesTheFileAndLine(string text) =>
        Assert.Matches("malformed JSON on line \\d+", LoadFails(text).Message);

    [Fact]
    public void MalformedJson_ReportsTheLineOfTheFault() =>
        Assert.Contains("on line 3", LoadFails("{\n  \"model\": {\n    \"vocab\": {,\n  }\n}").Message);

    [Theory]
    [InlineData("model", "missing field 'model'")]
    [InlineData("model.vocab", "missing field 'model.vocab'")]
    [InlineData("model.merges", "missing field 'model.merges'")]
    public void MissingField_IsNamed(string field, string expected)
    {
        var json = TinyByteLevelBpe.TokenizerJson();
        if (field == "model") json.Remove("model");
        else json["model"]!.AsObject().Remove(field["model.".Length..]);
        Assert.Contains(expected, LoadFails(json).Message);
    }

    [Fact]
    public void IllTypedFields_AreNamed()
    {
        var json = TinyByteLevelBpe.TokenizerJson();
        json["model"]!["vocab"]!["low"] = "258";
        Assert.Contains("'model.vocab[\"low\"]' should be a non-negative integer, not a string", LoadFails(json).Message);

        json = TinyByteLevelBpe.TokenizerJson();
        json["model"]!["vocab"]!["low"] = -3;
        Assert.Contains("model.vocab[\"low\"]", LoadFails(json).Message);

        json = TinyByteLevelBpe.TokenizerJson();
        json["model"]!["merges"] = new JsonObject();
        Assert.Contains("'model.merges' should be an array, not an object", LoadFails(json).Message);

        json = TinyByteLevelBpe.TokenizerJson();
        json["pre_tokenizer"]!["add_prefix_space"] = "yes";
        Assert.Contains("'pre_tokenizer.add_prefix_space' should be a boolean", LoadFails(json).Message);
    }

    [Theory]
    [InlineData("[\"a\"]")]
    [InlineData("[\"a\", \"b\", \"c\"]")]
    [InlineData("\"ab\"")]
    [InlineData("\"a b c\"")]
    [InlineData("\" b\"")]
    [InlineData("7")]
    public void MalformedMerge_NamesItsIndex(string merge)
    {
        var json = TinyByteLevelBpe.TokenizerJson();
        json["model"]!["merges"]!.AsArray().Insert(2, JsonNode.Parse(merge));
        Assert.Contains("'model.merges[2]'", LoadFails(json).Message);
    }

    [Fact]
    public void MergeOfTokensOutsideTheVocabulary_NamesTheMergeAndTheToken()
    {
        var json = TinyByteLevelBpe.TokenizerJson();
        json["model"]!["merges"]!.AsArray().Add("Ġlower s");     // "Ġlowers" is not in the vocabulary
        var error = LoadFails(json);
        Assert.Contains("merge \"Ġlower s\" (model.merges[11])", error.Message);
        Assert.Contains("\"Ġlowers\"", error.Message);
    }

    [Fact]
    public void AddedTokens_MissingOrConflictingFields_AreNamed()
    {
        var token = TinyByteLevelBpe.Added(300, "<x>");
        token.Remove("id");
        Assert.Contains("missing field 'added_tokens[0].id'", LoadFails(TinyByteLevelBpe.TokenizerJson(added: token)).Message);

        token = TinyByteLevelBpe.Added(300, "<x>");
        token.Remove("content");
        Assert.Contains("missing field 'added_tokens[0].content'", LoadFails(TinyByteLevelBpe.TokenizerJson(added: token)).Message);

        var json = TinyByteLevelBpe.TokenizerJson(added: TinyByteLevelBpe.Added(300, "low"));
        Assert.Contains("\"low\" has id 300, but model.vocab gives it 258", LoadFails(json).Message);

        json = TinyByteLevelBpe.TokenizerJson(added: [TinyByteLevelBpe.Added(300, "<x>"), TinyByteLevelBpe.Added(301, "<x>")]);
        Assert.Contains("added_tokens[1] repeats \"<x>\"", LoadFails(json).Message);

        json = TinyByteLevelBpe.TokenizerJson(added: TinyByteLevelBpe.Added(258, "<x>"));
        Assert.Contains("which the vocabulary gives to \"low\"", LoadFails(json).Message);
    }

    [Fact]
    public void RepeatedTokenOrId_InTheVocabulary_IsAnError()
    {
        string text = TinyByteLevelBpe.TokenizerJson().ToJsonString().Replace("\"low\":258", "\"low\":258,\"low\":259");
        Assert.Contains("token \"low\" appears twice", LoadFails(text).Message);
        text = TinyByteLevelBpe.TokenizerJson().ToJsonString().Replace("\"low\":258", "\"low\":258,\"lowx\":258");
        Assert.Contains("id 258 is given to both \"low\" and \"lowx\"", LoadFails(text).Message);
    }

    [Fact]
    public void ImplausiblyLargeId_IsAnError_NotAHugeAllocation()
    {
        var json = TinyByteLevelBpe.TokenizerJson(added: TinyByteLevelBpe.Added(2_000_000_000, "<x>"));
        Assert.Contains("id 2000000000 is implausibly large", LoadFails(json).Message);
    }

    [Fact]
    public void TruncatedFile_AlwaysThrowsInvalidData()
    {
        string full = TinyByteLevelBpe.TokenizerJson(added: TinyByteLevelBpe.Added(267, "<x>")).ToJsonString();
        for (int length = 0; length < full.Length - 1; length += 97) LoadFails(full[..length]);
    }

    [Fact]
    public void Garbage_ThrowsInvalidData_NeverAnotherException()
    {
        for (int seed = 0; seed < 100; seed++)
        {
            var bytes = new byte[1 + seed * 13];
            new Random(seed).NextBytes(bytes);
            if (seed % 2 == 0) bytes[0] = (byte)'{';
            var error = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.FromTokenizerJson(bytes, $"garbage-{seed}"));
            Assert.StartsWith($"'garbage-{seed}': ", error.Message);
        }
    }

    [Fact]
    public void InvalidUtf8_NamesTheFileAndLine()
    {
        byte[] json = Encoding.UTF8.GetBytes(TinyByteLevelBpe.TokenizerJson().ToJsonString().Replace("\"low\"", "\"l\u00F6w\""));
        int at = Array.IndexOf(json, (byte)0xC3);
        json[at + 1] = 0x28;                    // C3 28: a lead byte without its continuation
        string path = files.Write("tokenizer.json", [.. "\n\n"u8, .. json]);
        var error = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(path));
        Assert.Contains($"'{path}': invalid UTF-8 on line 3", error.Message);
    }

    [Fact]
    public void ByteOrderMark_IsAccepted()
    {
        string path = files.Write("tokenizer.json", [.. "\uFEFF"u8, .. Encoding.UTF8.GetBytes(TinyByteLevelBpe.TokenizerJson().ToJsonString())]);
        Assert.Equal([258], ByteLevelBpeTokenizer.Load(path).Encode("low"));
    }

    [Theory]
    [InlineData("model", "type", "\"WordPiece\"", "model type 'WordPiece' is not supported")]
    [InlineData("model", "continuing_subword_prefix", "\"##\"", "continuing_subword_prefix")]
    [InlineData("model", "byte_fallback", "true", "byte_fallback")]
    [InlineData("", "normalizer", "{\"type\": \"NFC\"}", "normalizer 'NFC' is not supported")]
    [InlineData("", "pre_tokenizer", "{\"type\": \"Whitespace\"}", "pre_tokenizer 'Whitespace' is not supported")]
    [InlineData("", "pre_tokenizer", "null", "no pre_tokenizer")]
    [InlineData("", "decoder", "{\"type\": \"WordPiece\"}", "decoder 'WordPiece' is not supported")]
    [InlineData("", "pre_tokenizer", "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Split\"}, {\"type\": \"ByteLevel\"}]}",
        "pre_tokenizer 'Sequence [Split, ByteLevel]' is not supported")]
    public void UnimplementedComponents_AreRefusedByName(string parent, string field, string value, string expected)
    {
        var json = TinyByteLevelBpe.TokenizerJson();
        (parent == "" ? json : json[parent]!.AsObject())[field] = JsonNode.Parse(value);
        string path = files.Write("tokenizer.json", json.ToJsonString());
        var error = Assert.Throws<NotSupportedException>(() => ByteLevelBpeTokenizer.Load(path));
        Assert.Contains($"'{path}'", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void MalformedMergesTxt_NamesTheFileAndLine()
    {
        string vocab = files.Write("vocab.json", TinyByteLevelBpe.Vocabulary().ToJsonString());
        string merges = files.Write("merges.txt", "#version: 0.2\nĠ l\no w\nlow\n");
        var error = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.FromVocabAndMerges(vocab, merges));
        Assert.Contains($"'{merges}': line 4", error.Message);

        merges = files.Write("merges.txt", "Ġ l\no q\n");
        error = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.FromVocabAndMerges(vocab, merges));
        Assert.Contains($"'{merges}': merge \"o q\" (line 2) needs token \"oq\"", error.Message);

        merges = files.Write("merges.txt", [.. "Ġ l\n"u8, 0xFF, .. " w\n"u8]);
        error = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.FromVocabAndMerges(vocab, merges));
        Assert.Contains($"'{merges}': invalid UTF-8 on line 2, at byte 5", error.Message);
    }

    [Fact]
    public void MalformedVocabJson_NamesThatFile()
    {
        string merges = files.Write("merges.txt", "Ġ l\n");
        string vocab = files.Write("vocab.json", "[\"not\", \"an object\"]");
        var error = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.FromVocabAndMerges(vocab, merges));
        Assert.Contains($"'{vocab}'", error.Message);
        vocab = files.Write("vocab.json", "{\"a\": 1,");
        error = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.FromVocabAndMerges(vocab, merges));
        Assert.Contains($"'{vocab}': malformed JSON", error.Message);
    }

    [Fact]
    public void MergesTxt_WithWindowsLineEndings_IsRead()
    {
        string vocab = files.Write("vocab.json", TinyByteLevelBpe.Vocabulary().ToJsonString());
        string merges = files.Write("merges.txt", "#version: 0.2\r\n" + string.Join("\r\n", TinyByteLevelBpe.Merges) + "\r\n");
        Assert.Equal([258, 261], ByteLevelBpeTokenizer.FromVocabAndMerges(vocab, merges).Encode("low lower"));
    }
}
