using System.Text;
using System.Text.Json;
using EncDec.Cli;
using EncDec.Cli.Commands;
using EncDec.Generation;
using EncDec.Models;
using EncDec.Tests.Generation;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec translate</c>: its streaming core on in-memory streams, and the command's errors in-process.</summary>
public sealed class TranslateCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-translate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly SearchOptions Search = new(BeamSize: 2, NBest: 2, MinLength: 1, MaxLength: 5) { SuppressedSequences = [[0], [1]] };

    private static string Translate(TranslationModel model, string input, SearchOptions search, bool json = false, int batchTokens = 4096)
    {
        var output = new StringWriter();
        TranslateCommand.Run(model, new MemoryStream(Encoding.UTF8.GetBytes(input)), output, new StringWriter(), search,
            new TranslatorOptions(MaxBatchTokens: batchTokens), json);
        return output.ToString();
    }

    [Fact]
    public void Plain_WritesOneLinePerInputLine_InOrder_NBestTabSeparated()
    {
        var model = TranslatorKit.Word();
        string[] lines = ["a b c", "", "g", "d e f g a"];
        string output = Translate(model, string.Join('\n', lines) + "\n", Search, batchTokens: 6);

        var expected = new Translator(model, Search).TranslateBatch(lines)
            .Select(r => string.Join('\t', r.Hypotheses.Select(h => h.Text))).ToArray();
        Assert.Equal(string.Concat(expected.Select(l => l + "\n")), output.ReplaceLineEndings("\n"));
        Assert.Equal(2, output.Split('\n')[0].Split('\t').Length);
    }

    [Fact]
    public void WindowsLineEndings_AndAByteOrderMark_AreNotPartOfTheText()
    {
        var model = TranslatorKit.Word();
        Assert.Equal(Translate(model, "a b c\n\ng\n", Search), Translate(model, "\uFEFFa b c\r\n\r\ng\r\n", Search));
    }

    [Fact]
    public void Json_PrintsTokensScoresAndAttention_PerLine()
    {
        var model = TranslatorKit.Word();
        string output = Translate(model, "a b\nc\n", Search with { ReturnAttention = true }, json: true);
        var objects = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var expected = new Translator(model, Search with { ReturnAttention = true }).TranslateBatch(["a b", "c"]);

        Assert.Equal(2, objects.Length);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(i + 1, objects[i].GetProperty("line").GetInt32());
            var best = objects[i].GetProperty("hypotheses")[0];
            var hypothesis = expected[i].Hypotheses[0].Search;
            Assert.Equal(hypothesis.Tokens, best.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(hypothesis.Score, best.GetProperty("score").GetSingle());
            Assert.Equal(hypothesis.NormalisedScore, best.GetProperty("normalised_score").GetSingle());
            Assert.Equal(hypothesis.TokenLogProbs.Length, best.GetProperty("attention").GetArrayLength());
        }
    }

    [Fact]
    public void Json_KeepsTextAsUtf8_EscapingOnlyWhatJsonNeeds()
    {
        string output = Translate(TranslatorKit.Word(), "a é \"q\" \\ b\n", Search, json: true);
        Assert.Contains("\"source\":\"a é \\\"q\\\" \\\\ b\"", output);
        Assert.Equal("a é \"q\" \\ b", JsonDocument.Parse(output).RootElement.GetProperty("source").GetString());
    }

    [Fact]
    public void TsvPrefix_SplitsEachLineAtItsFirstTab_IntoSourceAndTargetPrefix()
    {
        var model = TranslatorKit.Word();
        var output = new StringWriter();
        TranslateCommand.Run(model, new MemoryStream("a b\tg g\nc d\n\te\nd\tf\tg\n"u8.ToArray()), output, TextWriter.Null, Search,
            new TranslatorOptions(), json: false, tsvPrefix: true);

        var expected = new Translator(model, Search).TranslateBatch(["a b", "c d", "", "d"], ["g g", null, "e", "f\tg"])
            .Select(r => string.Join('\t', r.Hypotheses.Select(h => h.Text)));
        Assert.Equal(string.Concat(expected.Select(l => l + "\n")), output.ToString().ReplaceLineEndings("\n"));
        Assert.StartsWith("g g", output.ToString());
    }

    [Fact]
    public async Task Output_IsWrittenBeforeTheInputEnds()
    {
        var input = new BlockingStream("a b\nc\n"u8.ToArray());
        var output = new LineWriter();
        var run = Task.Run(() => TranslateCommand.Run(TranslatorKit.Word(), input, output, TextWriter.Null, Search,
            new TranslatorOptions(), json: false));

        Assert.True(output.TwoLines.Wait(TimeSpan.FromSeconds(20)), "no output while the input was still open");
        Assert.False(run.IsCompleted);
        input.End();
        await run.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Whatever stops the run at line 3 (a line that is not UTF-8, a rejected over-long line, a prefix holding the
    /// end token), lines 1 and 2 are written first, though all three arrive in one batch.</summary>
    [Theory]
    [InlineData("utf8")]
    [InlineData("overlong")]
    [InlineData("prefix")]
    public void AnErrorAtLineThree_LeavesLinesOneAndTwoWritten(string fault)
    {
        var model = TranslatorKit.Word();
        byte[] third = fault switch
        {
            "utf8" => [(byte)'a', 0xFF],
            "overlong" => "a b c d e f"u8.ToArray(),
            _ => "a\tc </s>"u8.ToArray(),
        };
        var input = new MemoryStream([.. "a b\tg\nc d\n"u8, .. third, .. "\nd\n"u8]);
        var output = new StringWriter();
        var options = new TranslatorOptions(MaxSourceLength: 4, RejectOverlong: true);

        var error = Record.Exception(() => TranslateCommand.Run(model, input, output, TextWriter.Null, Search, options, json: false,
            tsvPrefix: true));

        Assert.Contains("line 3", error.Message);
        Assert.True(fault == "utf8" ? error is InvalidDataException : error is InputLineException { LineNumber: 3 }, error.ToString());
        var expected = new Translator(model, Search).TranslateBatch(["a b", "c d"], ["g", null])
            .Select(r => string.Join('\t', r.Hypotheses.Select(h => h.Text)) + "\n");
        Assert.Equal(string.Concat(expected), output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void MissingModelFolder_ExitsWithDataError_NamingIt()
    {
        string missing = Path.Combine(_folder, "nope");
        var error = new StringWriter();
        int code = EncDecCli.Run(["translate", "--model", missing], new StringWriter(), error);
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains(missing, error.ToString());
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--beam", "0")]
    [InlineData("--nbest", "3")]
    [InlineData("--top-p", "0")]
    public void BadOptions_ExitWithUsageError(string option, string value)
    {
        TranslationModelFolder.Save(TranslatorKit.Word(), Path.Combine(_folder, "m"));
        var error = new StringWriter();
        int code = EncDecCli.Run(["translate", "--model", Path.Combine(_folder, "m"), option, value], new StringWriter(), error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("encdec:", error.ToString());
    }

    /// <summary>Gives its bytes, then blocks until <see cref="End"/>, like a pipe whose writer is still open.</summary>
    private sealed class BlockingStream(byte[] first) : Stream
    {
        private readonly ManualResetEventSlim _ended = new();
        private bool _sent;

        public void End() => _ended.Set();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_sent)
            {
                _sent = true;
                first.CopyTo(buffer, offset);
                return first.Length;
            }
            _ended.Wait();
            return 0;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Signals once two lines were written and flushed.</summary>
    private sealed class LineWriter : StringWriter
    {
        public ManualResetEventSlim TwoLines { get; } = new();

        public override void Flush()
        {
            base.Flush();
            if (ToString().Count(c => c == '\n') >= 2) TwoLines.Set();
        }
    }
}
