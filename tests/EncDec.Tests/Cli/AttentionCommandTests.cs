using System.Xml.Linq;
using EncDec.Cli;
using EncDec.Tests.Training;
using EncDec.Training;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec attention</c> on a model trained for a few seconds by the real trainer.</summary>
public sealed class AttentionCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    [Theory]
    [InlineData("transformer")]
    [InlineData("bahdanau-gru")]
    public void WritesAPage_AndOneSvgPerHeadAndTheAverage(string preset)
    {
        using var kit = new TrainingRunKit(trainPairs: 100, devPairs: 5);
        string[] shape = preset == "transformer" ? [] : ["model.d_model=null", "model.ffn_dim=null", "model.heads=null", "model.layers=null"];
        var outcome = new Trainer(kit.Config([$"model.preset={preset}", "training.max_steps=3", "validation.every=0", .. shape]),
            new TextTrainingObserver(TextWriter.Null)).Run(resume: false);
        string page = Path.Combine(kit.Folder, "views", "att.html");

        var (code, output, error) = Run("attention", "--model", outcome.ModelFolder, "--src", "a b c", "--src", "d e", "--out", page, "--beam", "2");

        Assert.True(code == ExitCodes.Success, error);
        var written = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(Path.GetFullPath(page), written[0]);
        int mapsPerExample = preset == "transformer" ? 1 + 1 * 2 : 1 + 1;   // average + layers × heads
        Assert.Equal(1 + 2 * mapsPerExample, written.Length);
        foreach (string svg in written.Skip(1)) XDocument.Load(svg);          // every SVG is well-formed
        Assert.Contains("a b c", File.ReadAllText(page));
    }

    [Fact]
    public void OnlyEmptySentences_IsAUsageError()
    {
        using var kit = new TrainingRunKit(trainPairs: 50, devPairs: 5);
        var outcome = new Trainer(kit.Config("training.max_steps=1", "validation.every=0"), new TextTrainingObserver(TextWriter.Null)).Run(resume: false);
        var (code, _, error) = Run("attention", "--model", outcome.ModelFolder, "--src", "  ", "--out", Path.Combine(kit.Folder, "x.html"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("empty", error);
    }
}
