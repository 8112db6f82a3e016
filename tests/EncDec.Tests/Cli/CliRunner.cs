using EncDec.Cli;

namespace EncDec.Tests.Cli;

/// <summary>Runs <c>encdec</c> in-process with string writers, as the CLI tests do.</summary>
internal static class CliRunner
{
    /// <summary>The exit code and what the command wrote to standard output and standard error.</summary>
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = EncDecCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
