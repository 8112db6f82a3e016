namespace EncDec.Cli;

/// <summary>A command's input data or model is unusable; reported as one line with exit code <see cref="ExitCodes.Data"/>.</summary>
public sealed class CliDataException(string message, Exception? inner = null) : Exception(message, inner);
