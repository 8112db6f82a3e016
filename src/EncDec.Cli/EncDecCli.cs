using System.CommandLine;
using EncDec.Cli.Commands;

namespace EncDec.Cli;

/// <summary>
/// Builds the <c>encdec</c> command tree and runs it with the project's error conventions: a parse
/// error is one line on stderr and exit code 1, an unusable input is one line and exit code 2.
/// </summary>
public static class EncDecCli
{
    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("encdec: encoder-decoder models in pure C#");
        root.Add(BenchCommand.Create());
        root.Add(EvalCommand.Create());
        root.Add(TranslateCommand.Create());
        root.Add(TokenizeCommand.Create());
        root.Add(DetokenizeCommand.Create());
        root.Add(VocabCommand.Create());
        root.Add(DataCommand.Create());
        root.Add(TrainCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams (tests pass string writers).</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"encdec: {OneLine(parse.Errors[0].Message)} (see 'encdec --help')");
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CliUsageException e)
        {
            error.WriteLine($"encdec: {OneLine(e.Message)}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is CliDataException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"encdec: {OneLine(e.Message)}");
            return ExitCodes.Data;
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
