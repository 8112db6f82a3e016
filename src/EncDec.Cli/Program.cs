namespace EncDec.Cli;

/// <summary>Entry point of the <c>encdec</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the command line; returns an <see cref="ExitCodes"/> value.</summary>
    public static int Main(string[] args) => EncDecCli.Run(args, Console.Out, Console.Error);
}
