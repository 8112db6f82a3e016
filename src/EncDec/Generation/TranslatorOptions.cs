namespace EncDec.Generation;

/// <summary>How a <see cref="Translator"/> batches and guards its input.</summary>
/// <param name="MaxBatchTokens">Padded source tokens per batch (sentences × longest source); a longer single
/// sentence still forms a batch of its own.</param>
/// <param name="MaxBatchSentences">Sentences per batch.</param>
/// <param name="MaxSourceLength">Longest source in tokens (end id included); null: the model's own limit.</param>
/// <param name="RejectOverlong">A longer source is an error naming its line, instead of being truncated with a warning.</param>
public sealed record TranslatorOptions(
    int MaxBatchTokens = 4096,
    int MaxBatchSentences = 256,
    int? MaxSourceLength = null,
    bool RejectOverlong = false)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field and its value.</summary>
    public void Validate()
    {
        if (MaxBatchTokens < 1)
            throw new ArgumentException($"TranslatorOptions: MaxBatchTokens {MaxBatchTokens} must be at least 1", nameof(MaxBatchTokens));
        if (MaxBatchSentences < 1)
            throw new ArgumentException($"TranslatorOptions: MaxBatchSentences {MaxBatchSentences} must be at least 1", nameof(MaxBatchSentences));
        if (MaxSourceLength is < 2)
            throw new ArgumentException($"TranslatorOptions: MaxSourceLength {MaxSourceLength} must be at least 2", nameof(MaxSourceLength));
    }
}
