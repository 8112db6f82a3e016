using System.Text;
using System.Text.Json;
using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// The vocabulary file (one token a line, id = line number from 0): saving and loading give back the same
/// vocabulary, Whisper's <c>vocabulary.txt</c> agrees with its <c>tokenizer.json</c>, and malformed files end in an
/// <see cref="InvalidDataException"/> naming the file and the line.
/// </summary>
public sealed class VocabularyFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("encdec-vocab-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void SaveThenLoad_GivesTheSameTokensAndSpecialIds()
    {
        var vocabulary = VocabularyBuilder.Characters(["Grüße, 😀 x\ty"], new VocabularyOptions(ReservedTokens: ["__fr__"], SentinelCount: 2));
        string path = Path.Combine(folder, "vocab.txt");
        vocabulary.Save(path);
        var loaded = Vocabulary.Load(path, VocabularyKind.Character);
        Assert.Equal(vocabulary.Tokens, loaded.Tokens);
        Assert.Equal((vocabulary.PadId, vocabulary.BosId, vocabulary.EosId, vocabulary.UnknownId),
            (loaded.PadId, loaded.BosId, loaded.EosId, loaded.UnknownId));
        Assert.Equal(vocabulary.SentinelId(0), loaded.SentinelId(0));
        byte[] bytes = File.ReadAllBytes(path);
        Assert.False(bytes.AsSpan().StartsWith("\uFEFF"u8));                   // no byte order mark
        Assert.StartsWith("<pad>\n<s>\n</s>\n<unk>\n__fr__\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Save_TokenWithALineBreak_IsRefused()
    {
        var vocabulary = new Vocabulary(["a", "b\nc"]);
        var error = Assert.Throws<InvalidOperationException>(() => vocabulary.Save(Path.Combine(folder, "v.txt")));
        Assert.Contains("token 1", error.Message);
    }

    [Fact]
    public void Load_ReadsWindowsLineEnds_AByteOrderMark_AndALastLineWithoutNewline()
    {
        string path = Write("v.txt", [.. "\uFEFF<pad>\r\n<unk>\r\nhello\r\n"u8]);
        Assert.Equal(["<pad>", "<unk>", "hello"], Vocabulary.Load(path).Tokens);
        path = Write("v.txt", "a\nb"u8.ToArray());
        Assert.Equal(["a", "b"], Vocabulary.Load(path).Tokens);
    }

    [Fact]
    public void Load_EmptyLine_IsTheEmptyToken()
    {
        // Whisper's vocabulary.txt has one, at id 50256.
        string path = Write("v.txt", "a\n\nb\n"u8.ToArray());
        Assert.Equal(["a", "", "b"], Vocabulary.Load(path).Tokens);
    }

    [Fact]
    public void Load_RepeatedToken_NamesBothLines()
    {
        string path = Write("v.txt", "a\nb\nc\nb\n"u8.ToArray());
        var error = Assert.Throws<InvalidDataException>(() => Vocabulary.Load(path));
        Assert.Equal($"'{path}': line 4 repeats the token \"b\" of line 2", error.Message);
    }

    [Fact]
    public void Load_InvalidUtf8_NamesTheFileLineAndByte()
    {
        string path = Write("v.txt", [.. "a\nb\nc"u8, 0xE2, 0x82, .. "\nd\n"u8]);
        var error = Assert.Throws<InvalidDataException>(() => Vocabulary.Load(path));
        Assert.Equal($"'{path}': invalid UTF-8 on line 3, at byte 5 (0xE2)", error.Message);
    }

    [Fact]
    public void Load_EmptyFile_IsAnError()
    {
        string path = Write("v.txt", []);
        Assert.Contains($"'{path}': the file is empty", Assert.Throws<InvalidDataException>(() => Vocabulary.Load(path)).Message);
    }

    [SharedDataFact("tokenizers/whisper-tiny/vocabulary.txt")]
    public void WhisperVocabularyTxt_AgreesWithItsTokenizerJson()
    {
        var vocabulary = Vocabulary.Load(SharedDataFactAttribute.Require("tokenizers/whisper-tiny/vocabulary.txt"));
        Assert.Equal(51865, vocabulary.VocabularySize);     // 50,364 tokenizer ids, then 1,501 timestamps <|0.00|>..<|30.00|>
        Assert.Equal("", vocabulary.IdToPiece(50256));
        Assert.Equal("<|0.00|>", vocabulary.IdToPiece(50364));
        Assert.Equal("<|30.00|>", vocabulary.IdToPiece(51864));

        using var json = JsonDocument.Parse(File.ReadAllBytes(SharedDataFactAttribute.Require(WhisperTokenizerFixture.TokenizerPath)));
        foreach (var entry in json.RootElement.GetProperty("model").GetProperty("vocab").EnumerateObject())
            Assert.Equal(entry.Value.GetInt32(), vocabulary.PieceToId(entry.Name));
        foreach (var entry in json.RootElement.GetProperty("added_tokens").EnumerateArray())
            Assert.Equal(entry.GetProperty("id").GetInt32(), vocabulary.PieceToId(entry.GetProperty("content").GetString()!));
    }
}
