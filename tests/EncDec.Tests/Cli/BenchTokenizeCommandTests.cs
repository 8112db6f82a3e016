using System.IO.Compression;
using System.Text;
using System.Text.Json;
using EncDec.Cli;
using EncDec.Tests.Text;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec bench tokenize</c>, on a few gzip-compressed lines with one repetition.</summary>
public sealed class BenchTokenizeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-bench-tokenize-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [ToolFact("spm_encode", T5ModelFixture.ModelPath)]
    public void Json_HasEveryRow_AndTheCliAgreesWithSpmEncode()
    {
        string input = Path.Combine(_folder, "lines.txt.gz");
        using (var gzip = new GZipStream(File.Create(input), CompressionLevel.Fastest))
            gzip.Write(Encoding.UTF8.GetBytes("A dog runs.\n\nTwo men, one ladder.\nCafé ①\n"));
        var output = new StringWriter();
        var error = new StringWriter();

        int code = EncDecCli.Run(["bench", "tokenize", "--model", SharedDataFactAttribute.Require(T5ModelFixture.ModelPath),
            "--input", input, "--repeat", "1", "--threads", "2", "--json"], output, error);

        Assert.Equal((ExitCodes.Success, ""), (code, error.ToString()));   // a mismatch with spm_encode is reported on stderr
        using var report = JsonDocument.Parse(output.ToString());
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(7, rows.Length);
        Assert.Contains(rows, row => row.GetProperty("name").GetString()!.StartsWith("spm_encode", StringComparison.Ordinal));
        Assert.All(rows.Where(row => row.GetProperty("lines").GetInt64() > 0), row =>
        {
            Assert.Equal(4, row.GetProperty("lines").GetInt64());
            Assert.True(row.GetProperty("lines_per_second").GetDouble() > 0);
        });
    }

    [Fact]
    public void MissingInput_ExitsWith2_NamingIt()
    {
        string model = Path.Combine(_folder, "small.model");
        File.WriteAllBytes(model, TokenizeCommandTests.SmallModelBytes());
        string missing = Path.Combine(_folder, "nope.gz");
        var error = new StringWriter();

        int code = EncDecCli.Run(["bench", "tokenize", "--model", model, "--input", missing], new StringWriter(), error);

        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains(missing, error.ToString());
    }
}
