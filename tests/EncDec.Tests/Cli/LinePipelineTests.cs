using System.Text;
using EncDec.Cli;
using EncDec.Cli.Commands;

namespace EncDec.Tests.Cli;

/// <summary><see cref="LinePipeline"/>: output in input order whatever the threads, and an error at line N (a line
/// its transform rejects, or one too long to read) comes after lines 1 to N − 1 are written, also when line N shares
/// their batch.</summary>
public class LinePipelineTests
{
    /// <summary>Upper-cases each line; a line "bad" is rejected naming its number.</summary>
    private sealed class Upper : ILineTransform
    {
        public void Transform(ReadOnlySpan<byte> line, long lineNumber, LineOutputBuffer output)
        {
            string text = Encoding.UTF8.GetString(line);
            output.Append(text.ToUpperInvariant());   // partial output, dropped when the line then fails
            if (text == "bad") throw new CliDataException($"line {lineNumber} is bad");
        }
    }

    private static (string Output, Exception? Error) Run(IEnumerable<string> lines, int threads, int maxLineBytes = 64)
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        var output = new StringWriter();
        var error = Record.Exception(() => LinePipeline.Run(input, output, threads, () => new Upper(), "in", maxLineBytes));
        return (output.ToString(), error);
    }

    private static string Expected(IEnumerable<string> lines) => string.Concat(lines.Select(l => l.ToUpperInvariant() + "\n"));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Lines_ComeOutInOrder_AcrossBatches(int threads)
    {
        var lines = Enumerable.Range(0, 3 * LinePipeline.LinesPerBatch + 5).Select(i => $"line {i}").ToArray();
        var (output, error) = Run(lines, threads);
        Assert.Null(error);
        Assert.Equal(Expected(lines), output);
    }

    [Theory]
    [InlineData(1, 3, "rejected")]
    [InlineData(2, 3, "rejected")]
    [InlineData(1, 2 * LinePipeline.LinesPerBatch + 7, "rejected")]
    [InlineData(3, 2 * LinePipeline.LinesPerBatch + 7, "rejected")]
    [InlineData(1, 3, "too long")]
    [InlineData(2, 3, "too long")]
    [InlineData(1, 2 * LinePipeline.LinesPerBatch + 7, "too long")]
    [InlineData(3, 2 * LinePipeline.LinesPerBatch + 7, "too long")]
    public void AnErrorAtALine_ComesAfterEveryLineBeforeIt(int threads, int badLine, string fault)
    {
        bool rejected = fault == "rejected";
        var lines = Enumerable.Range(1, badLine + 50)
            .Select(i => i != badLine ? $"line {i}" : rejected ? "bad" : new string('x', 65)).ToArray();
        var (output, error) = Run(lines, threads);
        string message = rejected ? $"line {badLine} is bad" : $"in line {badLine} is longer than 64 bytes";
        Assert.IsType(rejected ? typeof(CliDataException) : typeof(InvalidDataException), error);
        Assert.Equal(message, error!.Message);
        Assert.Equal(Expected(lines[..(badLine - 1)]), output);
    }
}
