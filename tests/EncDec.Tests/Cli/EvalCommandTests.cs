using System.Text;
using System.Text.Json;
using EncDec.Cli;
using EncDec.Evaluation;
using EncDec.Tests.Evaluation;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec eval</c>, run in-process on small files written to a temporary folder.</summary>
public sealed class EvalCommandTests : IDisposable
{
    private static readonly string[] Hypotheses = ["Hello, world!", "the cat sat on the mat", "a b c d"];
    private static readonly string[] References = ["Hello , world !", "the cat is on the mat", "a b x d"];

    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-eval-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, params string[] lines) => WriteBytes(name, Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));

    private string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Json_PrintsOneObject_WithFullPrecisionScoresAndBleuDetails()
    {
        var (code, output, error) = Run("eval", "--hyp", Write("hyp", Hypotheses), "--ref", Write("ref", References), "--json");

        Assert.Equal((ExitCodes.Success, ""), (code, error));
        Assert.Single(Lines(output));
        var bleu = Bleu.CorpusScore(Hypotheses, [References]);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["bleu", "chrf", "bleu_details", "chrf_details"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(bleu.Score, root.GetProperty("bleu").GetDouble());   // exact: round-trip formatting
        Assert.Equal(Chrf.CorpusScore(Hypotheses, [References]).Score, root.GetProperty("chrf").GetDouble());
        var details = root.GetProperty("bleu_details");
        Assert.Equal(bleu.Precisions, details.GetProperty("precisions").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(bleu.Counts, details.GetProperty("counts").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(bleu.Totals, details.GetProperty("totals").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(bleu.BrevityPenalty, details.GetProperty("bp").GetDouble());
        Assert.Equal(bleu.SystemLength, details.GetProperty("sys_len").GetInt64());
        Assert.Equal(bleu.ReferenceLength, details.GetProperty("ref_len").GetInt64());
        Assert.Equal(bleu.Ratio, details.GetProperty("ratio").GetDouble());
        Assert.Equal("chrF2", root.GetProperty("chrf_details").GetProperty("name").GetString());
    }

    [Fact]
    public void Plain_PrintsSacreBleusLine_ForEachMetric()
    {
        var (code, output, _) = Run("eval", "--hyp", Write("hyp", Hypotheses), "--ref", Write("ref", References));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal([Bleu.CorpusScore(Hypotheses, [References]).ToString(), Chrf.CorpusScore(Hypotheses, [References]).ToString()],
            Lines(output));
        Assert.StartsWith("BLEU = ", output);
    }

    [Fact]
    public void MetricOption_ChoosesTheMetricsAndTheirOrder()
    {
        string hyp = Write("hyp", Hypotheses), reference = Write("ref", References);

        var chrfOnly = Lines(Run("eval", "--hyp", hyp, "--ref", reference, "--metric", "chrf").Output);
        var both = Lines(Run("eval", "--hyp", hyp, "--ref", reference, "--metric", "chrf,bleu").Output);
        using var json = JsonDocument.Parse(Run("eval", "--hyp", hyp, "--ref", reference, "--metric", "bleu", "--json").Output);

        Assert.StartsWith("chrF2 = ", Assert.Single(chrfOnly));
        Assert.Equal(["chrF2", "BLEU"], both.Select(l => l.Split(' ')[0]));
        Assert.Equal(["bleu", "bleu_details"], json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void SeveralRefOptions_AreSeveralReferenceStreams()
    {
        string[] second = ["Hello, world!", "the cat sat on the mat", "a b c d"];
        var (code, output, _) = Run("eval", "--hyp", Write("hyp", Hypotheses),
            "--ref", Write("ref1", References), "--ref", Write("ref2", second), "--json");

        Assert.Equal(ExitCodes.Success, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(Bleu.CorpusScore(Hypotheses, [References, second]).Score, json.RootElement.GetProperty("bleu").GetDouble());
        Assert.Equal(100.0, json.RootElement.GetProperty("chrf").GetDouble(), 1e-9);
    }

    [Fact]
    public void CrLfLineEndings_ScoreLikeLf_BecauseTheCarriageReturnIsWhitespace()
    {
        string crlf = WriteBytes("hyp-crlf", Encoding.UTF8.GetBytes(string.Concat(Hypotheses.Select(l => l + "\r\n"))));
        string reference = Write("ref", References);

        Assert.Equal(Run("eval", "--hyp", Write("hyp", Hypotheses), "--ref", reference, "--json").Output,
            Run("eval", "--hyp", crlf, "--ref", reference, "--json").Output);
    }

    [Fact]
    public void GzipFiles_ScoreLikeTheirPlainText()
    {
        var plain = Encoding.UTF8.GetBytes(string.Concat(Hypotheses.Select(l => l + "\n")));
        var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest)) gzip.Write(plain);
        string reference = Write("ref", References);

        var (code, output, error) = Run("eval", "--hyp", WriteBytes("hyp.gz", compressed.ToArray()), "--ref", reference, "--json");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(Run("eval", "--hyp", Write("hyp", Hypotheses), "--ref", reference, "--json").Output, output);
    }

    [Fact]
    public void MissingFile_ExitsWith2_AndOneLineNamingIt()
    {
        string missing = Path.Combine(_folder, "nope.en");
        var (code, output, error) = Run("eval", "--hyp", missing, "--ref", Write("ref", References));

        Assert.Equal((ExitCodes.Data, ""), (code, output));
        Assert.Contains(missing, Assert.Single(Lines(error)));
        Assert.StartsWith("encdec: ", error);
    }

    [Fact]
    public void MismatchedLineCounts_ExitWith2_NamingBothFilesAndCounts()
    {
        string hyp = Write("hyp", Hypotheses), reference = Write("ref", References[..2]);
        var (code, _, error) = Run("eval", "--hyp", hyp, "--ref", reference);

        Assert.Equal(ExitCodes.Data, code);
        Assert.Equal($"encdec: '{hyp}' has 3 lines but '{reference}' has 2", Assert.Single(Lines(error)));
    }

    [Fact]
    public void InvalidUtf8_ExitsWith2_NamingTheFileAndLine()
    {
        string hyp = WriteBytes("hyp", [.. "fine\n"u8, 0xFF, 0xFE, (byte)'\n', .. "also fine\n"u8]);
        var (code, _, error) = Run("eval", "--hyp", hyp, "--ref", Write("ref", References));

        Assert.Equal(ExitCodes.Data, code);
        Assert.Equal($"encdec: '{hyp}' line 2 is not valid UTF-8 (byte 1 of the line)", Assert.Single(Lines(error)));
    }

    [Fact]
    public void LineEmptyInEveryReference_ExitsWith2_NamingTheLine()
    {
        var (code, _, error) = Run("eval", "--hyp", Write("hyp", Hypotheses), "--ref", Write("ref", "a", "", "c"));

        Assert.Equal(ExitCodes.Data, code);
        Assert.StartsWith("encdec: line 2 is empty in every reference file", Assert.Single(Lines(error)));
    }

    [Theory]
    [InlineData("eval", "--ref", "r.en")]
    [InlineData("eval", "--hyp", "h.en")]
    [InlineData("eval", "--hyp", "h.en", "--ref", "r.en", "--metric", "bleu,ter")]
    [InlineData("eval", "--hyp", "h.en", "--ref", "r.en", "--metric", ",")]
    public void UsageErrors_ExitWith1_AndOneLine(params string[] args)
    {
        var (code, output, error) = Run(args);

        Assert.Equal((ExitCodes.Usage, ""), (code, output));
        Assert.StartsWith("encdec: ", Assert.Single(Lines(error)));
    }

    [Fact]
    public void Help_ShowsAnExample()
    {
        var (code, output, _) = Run("eval", "--help");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Example: encdec eval --hyp", output);
    }

    [SharedDataFact(SacreBleuParityTests.DataFolder)]
    public void OnWmt22_PrintsTheOfficialSacreBleuScores()
    {
        string folder = SharedDataFactAttribute.Require(SacreBleuParityTests.DataFolder);
        var (code, output, _) = Run("eval", "--json",
            "--hyp", Path.Combine(folder, "generaltest2022.de-en.hyp.Lan-Bridge.en"),
            "--ref", Path.Combine(folder, "generaltest2022.de-en.ref.A.en"));

        Assert.Equal(ExitCodes.Success, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(SacreBleuParityTests.OfficialScore("Lan-Bridge", "bleu-A"), json.RootElement.GetProperty("bleu").GetDouble(), 1e-9);
        Assert.Equal(SacreBleuParityTests.OfficialScore("Lan-Bridge", "chrf-A"), json.RootElement.GetProperty("chrf").GetDouble(), 1e-9);
    }
}
