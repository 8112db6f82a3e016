using System.CommandLine;
using EncDec.Cli;

namespace EncDec.Tests.Cli;

/// <summary>Conventions every <c>encdec</c> command keeps: help with examples, one-line errors, exit codes 0/1/2.</summary>
public sealed class CliConventionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    /// <summary>Every runnable command path, e.g. "bench gemm", "train".</summary>
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        void Walk(Command command, string prefix)
        {
            foreach (var sub in command.Subcommands)
            {
                string path = (prefix + " " + sub.Name).Trim();
                if (sub.Subcommands.Count == 0) data.Add(path);
                Walk(sub, path);
            }
        }
        Walk(EncDecCli.CreateRoot(), "");
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_ExitsZero_AndShowsAnExample(string command)
    {
        var (code, output, _) = Run([.. command.Split(' '), "--help"]);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Example", output);
        Assert.Contains("--verbose", output);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void UnknownOption_IsAUsageError_OnOneLine(string command)
    {
        var (code, _, error) = Run([.. command.Split(' '), "--no-such-option"]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("encdec: ", error);
    }

    [Theory]
    [InlineData("translate")]
    [InlineData("attention")]
    public void MissingModelFolder_IsADataError_NamingIt(string command)
    {
        string missing = Path.Combine(_folder, "no-model");
        var (code, _, error) = Run(command, "--model", missing, "--src", "a b");
        if (command == "translate") (code, _, error) = Run(command, "--model", missing);
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains(missing, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [InlineData("translate")]
    [InlineData("attention")]
    public void CorruptModelFolder_IsADataError_OnOneLine_WithTheTraceOnlyWhenVerbose(string command)
    {
        string folder = Path.Combine(_folder, "corrupt");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), "{ not json");
        File.WriteAllText(Path.Combine(folder, "translation.json"), "{}");
        File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), [1, 2, 3]);
        string[] args = command == "translate" ? [command, "--model", folder] : [command, "--model", folder, "--src", "a"];
        var (code, _, error) = Run(args);
        Assert.Equal(ExitCodes.Data, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(folder, error);
        var (verboseCode, _, verboseError) = Run([.. args, "--verbose"]);
        Assert.Equal(ExitCodes.Data, verboseCode);
        Assert.Contains("   at ", verboseError);
    }

    [Fact]
    public void MissingInputFiles_AreDataErrors()
    {
        string missing = Path.Combine(_folder, "missing.txt");
        Assert.Equal(ExitCodes.Data, Run("eval", "--hyp", missing, "--ref", missing).Code);
        Assert.Equal(ExitCodes.Data, Run("tokenize", "--model", missing).Code);
        Assert.Equal(ExitCodes.Data, Run("train", "--config", missing).Code);
    }
}
