namespace EncDec.Cli;

/// <summary>Process exit codes of <c>encdec</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command line could not be parsed or is inconsistent.</summary>
    public const int Usage = 1;

    /// <summary>The input data or model was unusable (missing, corrupt, mismatched).</summary>
    public const int Data = 2;
}
