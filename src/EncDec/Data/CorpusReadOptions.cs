namespace EncDec.Data;

/// <summary>How a parallel corpus file is read.</summary>
/// <param name="SkipInvalid">Skip a malformed line (invalid UTF-8, a TSV line without exactly one tab, malformed
/// JSON, a missing or non-string field) and count it in <see cref="CorpusStatistics.SkippedByReason"/>, instead of
/// throwing. Two files that are not line-aligned always throw: the surplus lines say every pair may be wrong.</param>
/// <param name="SourceField">The JSON Lines field holding the source sentence.</param>
/// <param name="TargetField">The JSON Lines field holding the target sentence.</param>
public sealed record CorpusReadOptions(bool SkipInvalid = false, string SourceField = "source", string TargetField = "target")
{
    /// <summary>Throws <see cref="ArgumentException"/> naming a field name that is empty or the same for both sides.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(SourceField))
            throw new ArgumentException($"CorpusReadOptions: SourceField '{SourceField}' must not be empty", nameof(SourceField));
        if (string.IsNullOrEmpty(TargetField))
            throw new ArgumentException($"CorpusReadOptions: TargetField '{TargetField}' must not be empty", nameof(TargetField));
        if (SourceField == TargetField)
            throw new ArgumentException($"CorpusReadOptions: SourceField and TargetField are both '{SourceField}'", nameof(TargetField));
    }
}
