using System.Text;
using EncDec.Cli;
using EncDec.Cli.Commands;
using EncDec.Tests.Text;
using EncDec.Text;

namespace EncDec.Tests.Cli;

/// <summary>
/// <c>encdec tokenize</c>: its core (<see cref="TokenizeCommand.Run"/>) on in-memory streams, the command's options
/// and errors in-process through <see cref="EncDecCli.Run"/>, and its output against <c>spm_encode</c>'s.
/// </summary>
public sealed class TokenizeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-tokenize-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// A hand-made unigram model (ids: 0 &lt;unk&gt;, 1 &lt;/s&gt;, 2 ▁hello, 3 ▁world, 4 ▁, 5 o, 6 w) with a dummy
    /// prefix and, by proto2 default, extra whitespace removed.
    /// </summary>
    internal static SentencePieceProcessor SmallModel() => SentencePieceProcessor.FromBytes(SmallModelBytes(), "small");

    internal static byte[] SmallModelBytes() => ProtobufWriter.Model(
        [("<unk>", 0, 2), ("</s>", 0, 3), ("▁hello", -1, 1), ("▁world", -1, 1), ("▁", -2, 1), ("o", -3, 1), ("w", -3, 1)],
        modelType: 1, addDummyPrefix: true);

    internal static string Tokenize(ITokenizer tokenizer, byte[] input, bool ids, int threads = 1)
    {
        var output = new StringWriter();
        TokenizeCommand.Run(tokenizer, new MemoryStream(input), output, ids, threads);
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

    [Fact]
    public void Pieces_OneOutputLinePerInputLine_IncludingEmptyBlankAndUnterminatedLastLines()
    {
        string output = Tokenize(SmallModel(), "hello world\n\n   \nwow\nworld"u8.ToArray(), ids: false);

        // "wow": no "▁wow", so "▁" + "w" + "o" + "w"; a blank line normalises to nothing.
        Assert.Equal("▁hello ▁world\n\n\n▁ w o w\n▁world\n", output);
    }

    [Fact]
    public void Ids_AreTheIdsOfEncode_SeparatedBySingleSpaces()
    {
        var model = SmallModel();
        string output = Tokenize(model, "hello  world\nwow\n"u8.ToArray(), ids: true);

        Assert.Equal("2 3\n4 6 5 6\n", output);
        Assert.Equal([2, 3], model.Encode("hello  world"));
    }

    [Fact]
    public void CarriageReturn_StaysInItsLine_AsForSpmEncode()
    {
        // Lines are split at '\n' only; with remove_extra_whitespaces, the model reads "\r" as text (unknown here).
        string output = Tokenize(SmallModel(), "hello\r\nworld\r\n"u8.ToArray(), ids: false);

        Assert.Equal(["▁hello \r", "▁world \r"], output.Split('\n')[..2]);
    }

    [Fact]
    public void ManyThreads_GiveTheSameOutputInTheSameOrder_AsOneThread()
    {
        // Several batches of lines (LinePipeline takes 2,048 lines a batch), so several are in flight at once.
        const int LineCount = 10_017;
        var text = new StringBuilder();
        for (int i = 0; i < LineCount; i++)
            text.Append(i % 7 == 0 ? "\n" : string.Join(' ', Enumerable.Repeat(i % 2 == 0 ? "hello" : "wow world", 1 + i % 5)) + "\n");
        byte[] input = Encoding.UTF8.GetBytes(text.ToString());

        string serial = Tokenize(SmallModel(), input, ids: true, threads: 1);
        string parallel = Tokenize(SmallModel(), input, ids: true, threads: 4);

        Assert.Equal(LineCount, serial.Count(c => c == '\n'));
        Assert.Equal(serial, parallel);
    }

    [Fact]
    public void MalformedUtf8_WithSentencePiece_IsEncodedByteByByteAsU_FFFD()
    {
        // Each malformed byte is one U+FFFD, as in SentencePiece; U+FFFD is not in the vocabulary, so the run of two
        // is one unknown piece whose text is the run.
        string output = Tokenize(SmallModel(), [.. "hello "u8, 0xFF, 0xFE, .. " world\n"u8], ids: false);

        Assert.Equal("▁hello ▁ \uFFFD\uFFFD ▁world\n", output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MalformedUtf8_WithAnotherTokenizer_IsAnErrorNamingTheLineAndByte_AfterTheLinesBeforeIt(int threads)
    {
        var output = new StringWriter();
        var error = Assert.Throws<InvalidDataException>(() => TokenizeCommand.Run(new CharTokenizer(),
            new MemoryStream([.. "ok\nab"u8, 0xC3, 0x28, .. "\nfine\n"u8]), output, ids: false, threads));

        Assert.Equal("<stdin> line 2 is not valid UTF-8 (byte 3 of the line)", error.Message);
        Assert.Equal(Tokenize(new CharTokenizer(), "ok\n"u8.ToArray(), ids: false), output.ToString());
    }

    [Fact]
    public void Command_ReadsInputFile_AndWritesIdsOrPieces()
    {
        string model = WriteFile("small.model", SmallModelBytes());
        string input = WriteFile("in.txt", "hello world\nwow"u8.ToArray());

        var pieces = RunCli("tokenize", "--model", model, "--input", input);
        var ids = RunCli("tokenize", "--model", model, "--input", input, "--ids", "--threads", "2");

        Assert.Equal((ExitCodes.Success, "▁hello ▁world\n▁ w o w\n", ""), pieces);
        Assert.Equal((ExitCodes.Success, "2 3\n4 6 5 6\n", ""), ids);
    }

    [Fact]
    public void MissingModel_ExitsWith2_AndOneLineNamingIt()
    {
        string missing = Path.Combine(_folder, "nope.model");
        var (code, output, error) = RunCli("tokenize", "--model", missing, "--input", WriteFile("in.txt", "a\n"u8.ToArray()));

        Assert.Equal((ExitCodes.Data, ""), (code, output));
        Assert.Equal($"encdec: tokenizer '{missing}' does not exist", error.TrimEnd('\n'));
    }

    [Fact]
    public void CorruptModel_ExitsWith2_AndOneLineNamingIt()
    {
        string corrupt = WriteFile("cut.model", SmallModelBytes()[..40]);
        var (code, output, error) = RunCli("tokenize", "--model", corrupt, "--input", WriteFile("in.txt", "a\n"u8.ToArray()));

        Assert.Equal((ExitCodes.Data, ""), (code, output));
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"encdec: '{corrupt}' is not a valid SentencePiece model", error);
    }

    [Fact]
    public void MissingInputFile_ExitsWith2_NamingIt()
    {
        string missing = Path.Combine(_folder, "nope.txt");
        var (code, _, error) = RunCli("tokenize", "--model", WriteFile("small.model", SmallModelBytes()), "--input", missing);

        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains(missing, error);
    }

    [Theory]
    [InlineData("tokenize")]
    [InlineData("tokenize", "--model", "m.model", "--threads", "0")]
    public void BadOptions_AreUsageErrors(params string[] args)
    {
        var (code, output, error) = RunCli(args);

        Assert.Equal((ExitCodes.Usage, ""), (code, output));
        Assert.StartsWith("encdec: ", error);
    }

    [ToolFact("spm_encode", T5ModelFixture.ModelPath, "multi30k/val.en.gz")]
    public void T5_PiecesAndIds_EqualSpmEncode_OnMulti30kValidationAndMalformedLines()
    {
        string model = SharedDataFactAttribute.Require(T5ModelFixture.ModelPath);
        var lines = SentencePieceCli.ReadGzipLines("multi30k/val.en.gz").Take(300)
            .Append([.. "abc"u8, 0xFF, 0xFE, .. "def"u8]).Append([]).Append("  Ｈｅｌｌｏ\t①ﬁ  "u8.ToArray());
        string input = Path.Combine(_folder, "lines.txt");
        SentencePieceCli.WriteLines(input, lines);

        var pieces = RunCli("tokenize", "--model", model, "--input", input);
        var ids = RunCli("tokenize", "--model", model, "--input", input, "--ids", "--threads", "2");

        Assert.Equal((ExitCodes.Success, ""), (pieces.Code, pieces.Error));
        Assert.Equal((ExitCodes.Success, ""), (ids.Code, ids.Error));
        Assert.Equal(SentencePieceCli.Encode(model, input, "piece"), pieces.Output.Split('\n')[..^1]);
        Assert.Equal(SentencePieceCli.Encode(model, input, "id"), ids.Output.Split('\n')[..^1]);
    }

    /// <summary>A tokenizer that is not SentencePiece: one piece per character, ids are the UTF-16 code units.</summary>
    internal sealed class CharTokenizer : ITokenizer
    {
        public int VocabularySize => 65536;

        public int[] Encode(string text) => [.. text.Select(c => (int)c)];

        public string[] EncodeToPieces(string text) => [.. text.Select(c => c.ToString())];

        public string Decode(ReadOnlySpan<int> ids)
        {
            var text = new StringBuilder();
            foreach (int id in ids) text.Append((char)id);
            return text.ToString();
        }

        public int PieceToId(string piece) => piece.Length == 1 ? piece[0] : -1;

        public string IdToPiece(int id) => ((char)id).ToString();
    }
}
