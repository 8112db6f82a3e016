using EncDec.Cli;
using EncDec.Data.Synthetic;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec data synth</c>, run in-process into a temporary folder.</summary>
public sealed class DataCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-data-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Out(string name = "corpus") => Path.Combine(_folder, name);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Help_ShowsExamplesAndTheTasks()
    {
        var (code, output, _) = Run("data", "synth", "--help");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("encdec data synth --task en-fr --count", output);
        Assert.All(SyntheticTasks.Names, name => Assert.Contains(name, output));
    }

    [Fact]
    public void Synth_WritesLineAlignedSplits_AndSaysWhatItWrote()
    {
        string folder = Out();
        var (code, output, error) = Run("data", "synth", "--task", "en-fr", "--count", "200", "--dev", "20", "--test", "30", "--out", folder, "--seed", "4");

        Assert.Equal((ExitCodes.Success, ""), (code, error));
        foreach (var (split, lines) in new[] { ("train", 200), ("dev", 20), ("test", 30) })
        {
            var sources = File.ReadAllLines(Path.Combine(folder, split + ".src"));
            var targets = File.ReadAllLines(Path.Combine(folder, split + ".tgt"));
            Assert.Equal((lines, lines), (sources.Length, targets.Length));
        }
        var expected = SyntheticCorpus.GenerateSplits(SyntheticTasks.Get("en-fr"), 200, 20, 30, seed: 4);
        Assert.Equal(expected.Dev.Select(p => p.Target), File.ReadAllLines(Path.Combine(folder, "dev.tgt")));
        var summary = Lines(output);
        Assert.Equal(4, summary.Length);
        Assert.StartsWith("task en-fr: ", summary[0]);
        Assert.Matches(@"^train: 200 pairs \(\d+ source and \d+ target token types\) -> .*train\.src, .*train\.tgt$", summary[1]);
    }

    [Fact]
    public void Synth_WithoutHeldOutSplits_WritesOnlyTrain()
    {
        var (code, _, _) = Run("data", "synth", "--task", "dates", "--count", "10", "--out", Out());

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(["train.src", "train.tgt"], Directory.GetFiles(Out()).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void SameSeed_SameFiles_OtherSeed_OtherFiles()
    {
        Run("data", "synth", "--task", "sort", "--count", "100", "--out", Out("a"), "--seed", "9");
        Run("data", "synth", "--task", "sort", "--count", "100", "--out", Out("b"), "--seed", "9");
        Run("data", "synth", "--task", "sort", "--count", "100", "--out", Out("c"), "--seed", "10");

        string a = File.ReadAllText(Path.Combine(Out("a"), "train.src"));
        Assert.Equal(a, File.ReadAllText(Path.Combine(Out("b"), "train.src")));
        Assert.NotEqual(a, File.ReadAllText(Path.Combine(Out("c"), "train.src")));
    }

    [Fact]
    public void UnknownTask_ExitsWith1_ListingTheTasks()
    {
        var (code, output, error) = Run("data", "synth", "--task", "de-en", "--count", "10", "--out", Out());

        Assert.Equal((ExitCodes.Usage, ""), (code, output));
        Assert.Equal("encdec: --task: 'de-en' is not one of en-fr, reverse, sort, copy, dates (see 'encdec --help')", error.TrimEnd());
        Assert.False(Directory.Exists(Out()));
    }

    [Theory]
    [InlineData("--count", "0")]
    [InlineData("--dev", "-1")]
    [InlineData("--seed", "minus")]
    [InlineData("--colour", "red")]
    public void BadOption_ExitsWith1_InOneLine(string option, string value)
    {
        var (code, _, error) = Run("data", "synth", "--task", "copy", "--count", "10", "--out", Out(), option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("encdec: ", Assert.Single(Lines(error)));
    }
}
