namespace EncDec.Generation;

/// <summary>
/// One input line cannot be translated as asked: it is longer than the model's maximum source length while
/// <see cref="TranslatorOptions.RejectOverlong"/> is set, or its target prefix holds the end token. The message starts
/// with "line N:"; <see cref="LineNumber"/> gives N, so a caller that writes results as they come can first write the
/// lines before it (as <see cref="Translator.Translate"/> yields them) and then stop.
/// </summary>
public sealed class InputLineException(long lineNumber, string reason) : Exception($"line {lineNumber}: {reason}")
{
    /// <summary>The 1-based number of the line at fault, counted as the caller numbered its lines.</summary>
    public long LineNumber { get; } = lineNumber;
}
