using System.Text;
using EncDec.Cli;
using EncDec.Cli.Commands;
using EncDec.Tests.Text;
using EncDec.Text;

namespace EncDec.Tests.Cli;

/// <summary>
/// <c>encdec detokenize</c>: round trips with <c>tokenize</c>, <c>spm_decode</c>'s treatment of pieces outside the
/// vocabulary, and errors naming the line and the token.
/// </summary>
public sealed class DetokenizeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-detokenize-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Detokenize(ITokenizer tokenizer, string input, bool ids, int threads = 1)
    {
        var output = new StringWriter();
        DetokenizeCommand.Run(tokenizer, new MemoryStream(Encoding.UTF8.GetBytes(input)), output, ids, threads);
        return output.ToString();
    }

    private string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (int Code, string Output, string Error) RunCli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = EncDecCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TokenizeThenDetokenize_GivesTheNormalisedText_LineForLine(bool ids)
    {
        var model = TokenizeCommandTests.SmallModel();
        byte[] text = "hello  world\n\nwow hello\nworld"u8.ToArray();

        string tokens = TokenizeCommandTests.Tokenize(model, text, ids);
        string back = Detokenize(model, tokens, ids, threads: 2);

        Assert.Equal("hello world\n\nwow hello\nworld\n", back);
    }

    [Fact]
    public void Ids_MayBeSeparatedBySeveralSpacesOrTabs_AndControlIdsVanish()
    {
        Assert.Equal("hello world\nhello\n", Detokenize(TokenizeCommandTests.SmallModel(), " 2  3\t1 \r\n1 2\n", ids: true));
    }

    [Fact]
    public void UnknownIdPiece_DecodesAsTheUnknownSurface()
    {
        Assert.Equal("hello \u2047 \n", Detokenize(TokenizeCommandTests.SmallModel(), "▁hello <unk>\n", ids: false));
    }

    [Theory]
    [InlineData("2 x3", "'x3' is not an id of the vocabulary (0 to 6)")]
    [InlineData("2 7", "'7' is not an id of the vocabulary (0 to 6)")]
    [InlineData("-1", "'-1' is not an id of the vocabulary (0 to 6)")]
    [InlineData("99999999999", "'99999999999' is not an id of the vocabulary (0 to 6)")]
    public void BadId_IsAnErrorNamingTheLineAndTheToken(string line, string reason)
    {
        var error = Assert.Throws<CliDataException>(() =>
            Detokenize(TokenizeCommandTests.SmallModel(), $"2 3\n{line}\n", ids: true));

        Assert.Equal($"<stdin> line 2: {reason}", error.Message);
    }

    [Fact]
    public void BadId_ThroughTheCommand_ExitsWith2_AfterWritingTheLinesBefore()
    {
        string model = WriteFile("small.model", TokenizeCommandTests.SmallModelBytes());
        string input = WriteFile("in.ids", "2 3\n2 3 oops\n"u8.ToArray());

        var (code, output, error) = RunCli("detokenize", "--model", model, "--ids", "--input", input, "--threads", "1");

        Assert.Equal(ExitCodes.Data, code);
        Assert.Equal($"encdec: {input} line 2: 'oops' is not an id of the vocabulary (0 to 6)\n", error.ReplaceLineEndings("\n"));
        Assert.Equal("hello world\n", output.ReplaceLineEndings("\n"));   // line 1, though it shares line 2's batch
    }

    [Fact]
    public void PieceNotInAVocabularyWithoutUnknownToken_IsAnErrorNamingTheLineAndThePiece()
    {
        var error = Assert.Throws<CliDataException>(() =>
            Detokenize(new TokenizeCommandTests.CharTokenizer(), "a b\nc dd\n", ids: false));

        Assert.Equal("<stdin> line 2: 'dd' is not a piece of the vocabulary", error.Message);
    }

    [Fact]
    public void MalformedUtf8Line_IsAnErrorNamingTheLine()
    {
        var output = new StringWriter();
        var error = Assert.Throws<InvalidDataException>(() => DetokenizeCommand.Run(TokenizeCommandTests.SmallModel(),
            new MemoryStream([.. "▁hello\n"u8, 0xFF, .. "\n"u8]), output, ids: false));

        Assert.Equal("<stdin> line 2 is not valid UTF-8 (byte 1 of the line)", error.Message);
    }

    // Golden lines from spm_decode --input_format=piece (SentencePiece 0.1.97) with T5's model: a piece outside the
    // vocabulary is copied as it is ("¤¤", "<0x41>": T5 has no byte pieces), and a "▁" after copied text is a space.
    [SharedDataFact(T5ModelFixture.ModelPath)]
    public void T5_PiecesOutsideTheVocabulary_AreCopied_AsSpmDecodeCopiesThem()
    {
        var t5 = TokenizerLoader.Load(SharedDataFactAttribute.Require(T5ModelFixture.ModelPath));

        string output = Detokenize(t5, "▁ab c ¤¤ ▁dog\n¤¤ ▁dog\n</s> ▁dog\n¤¤\n▁¤¤ ▁dog ▁¤x\n<0x41> ▁dog\n", ids: false);

        Assert.Equal("abc¤¤ dog\n¤¤ dog\ndog\n¤¤\n▁¤¤ dog▁¤x\n<0x41> dog\n", output);
    }

    [ToolFact("spm_decode", T5ModelFixture.ModelPath, "multi30k/test_2016_flickr.de.gz")]
    public void T5_Ids_DecodeAsSpmDecode_OnMulti30kLines()
    {
        string model = SharedDataFactAttribute.Require(T5ModelFixture.ModelPath);
        var t5 = SentencePieceProcessor.Load(model);
        var lines = SentencePieceCli.ReadGzipLines("multi30k/test_2016_flickr.de.gz").Take(300).ToArray();
        string ids = Path.Combine(_folder, "lines.ids");
        File.WriteAllLines(ids, lines.Select(line => string.Join(' ', t5.EncodeUtf8(line))));

        var (code, output, error) = RunCli("detokenize", "--model", model, "--ids", "--input", ids);

        Assert.Equal((ExitCodes.Success, ""), (code, error));
        Assert.Equal(SentencePieceCli.Decode(model, ids), output.Split('\n')[..^1]);
    }
}
