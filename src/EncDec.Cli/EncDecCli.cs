using System.CommandLine;
using EncDec.Cli.Commands;
using EncDec.Generation;

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
        root.Add(QuickstartCommand.Create());
        root.Add(BenchCommand.Create());
        root.Add(EvalCommand.Create());
        root.Add(TranslateCommand.Create());
        root.Add(TokenizeCommand.Create());
        root.Add(DetokenizeCommand.Create());
        root.Add(VocabCommand.Create());
        root.Add(DataCommand.Create());
        root.Add(TrainCommand.Create());
        root.Add(AttentionCommand.Create());
        root.Add(Verbose);
        return root;
    }

    /// <summary><c>--verbose</c>, accepted by every command: errors also print their stack trace.</summary>
    private static Option<bool> Verbose => new("--verbose") { Description = "Print stack traces with errors", Recursive = true };

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
        bool verbose = parse.GetValue<bool>("--verbose");
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            var cause = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e;
            // Library validation of user-supplied values throws ArgumentException: a usage error, like a bad option.
            bool usage = cause is CliUsageException or ArgumentException;
            bool expected = usage || cause is CliDataException or IOException or InvalidDataException or InputLineException
                or UnauthorizedAccessException or NotSupportedException or OperationCanceledException;
            if (cause is OutOfMemoryException)
            {
                // Not a bug but a size: say which settings make the work smaller.
                error.WriteLine("encdec: out of memory; a smaller batch (--max-batch-tokens, batching.max_tokens), beam, n-best or " +
                    "model needs less");
                return ExitCodes.Data;
            }
            error.WriteLine($"encdec: {(expected ? "" : $"internal error ({cause.GetType().Name}): ")}{OneLine(cause.Message)}");
            if (verbose) error.WriteLine(cause.ToString());
            return usage ? ExitCodes.Usage : ExitCodes.Data;
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
