using EncDec.Cli;
using EncDec.Models;

namespace EncDec.Tests.Cli;

/// <summary>
/// <c>encdec quickstart</c> end to end with a tiny budget (its quality target, at least 95% exact match in at most
/// five minutes, is measured with the default settings and reported in the README, not asserted here).
/// </summary>
public sealed class QuickstartCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-quickstart-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void TinyRun_WritesDataModelAttentionPage_AndPrintsResultsAndNextSteps()
    {
        string output = Path.Combine(_folder, "qs");
        var (code, text, error) = Run("quickstart", "--out", output, "--minutes", "0.02", "--train-pairs", "2000", "--quiet");
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("held-out test (500 sentences", text);
        Assert.Contains("exact match", text);
        Assert.Contains("Try next:", text);
        foreach (string file in new[] { "data/train.src", "data/test.tgt", "attention.html", "quickstart.json", "model/config.json", "metrics.jsonl", "curve.svg" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        Assert.NotNull(TranslationModelFolder.Load(Path.Combine(output, "model")));

        var (again, againText, againError) = Run("quickstart", "--out", output, "--minutes", "0.01", "--train-pairs", "2000", "--quiet");
        Assert.True(again == ExitCodes.Success, againError);
        Assert.Contains("replacing the previous quickstart", againText);
    }

    [Fact]
    public void ForeignFolder_IsNotOverwritten()
    {
        File.WriteAllText(Path.Combine(_folder, "precious.txt"), "keep me");
        var (code, _, error) = Run("quickstart", "--out", _folder, "--minutes", "0.01");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("not a quickstart folder", error);
        Assert.True(File.Exists(Path.Combine(_folder, "precious.txt")));
    }

    [Theory]
    [InlineData("--minutes", "0")]
    [InlineData("--preset", "nope")]
    [InlineData("--train-pairs", "5")]
    public void InvalidSettings_AreUsageErrors(string option, string value)
    {
        var (code, _, error) = Run("quickstart", "--out", Path.Combine(_folder, "x"), option, value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(option.TrimStart('-'), error);
    }
}
