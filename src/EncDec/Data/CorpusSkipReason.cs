namespace EncDec.Data;

/// <summary>The keys of <see cref="CorpusStatistics.SkippedByReason"/>: why a line was skipped under
/// <see cref="CorpusReadOptions.SkipInvalid"/>.</summary>
public static class CorpusSkipReason
{
    /// <summary>A line (of either file of a pair) is not valid UTF-8.</summary>
    public const string InvalidUtf8 = "invalid-utf8";

    /// <summary>A TSV line holds no tab or more than one.</summary>
    public const string TabCount = "tab-count";

    /// <summary>A JSON Lines line is not a JSON object.</summary>
    public const string MalformedJson = "malformed-json";

    /// <summary>A JSON Lines object lacks the source or the target field.</summary>
    public const string MissingField = "missing-field";

    /// <summary>A JSON Lines object's source or target field is not a string (a number, null, an array …).</summary>
    public const string NonStringField = "non-string-field";
}
