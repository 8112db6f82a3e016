namespace EncDec.Cli;

/// <summary>The command line or a run file asks for something invalid; reported as one line with exit code <see cref="ExitCodes.Usage"/>.</summary>
public sealed class CliUsageException(string message, Exception? inner = null) : Exception(message, inner);
