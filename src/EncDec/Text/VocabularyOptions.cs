namespace EncDec.Text;

/// <summary>
/// How <see cref="VocabularyBuilder"/> lays out a vocabulary: ids 0.. are the <see cref="Specials"/> (pad, bos, eos,
/// unk), then the <see cref="ReservedTokens"/> in the order given (language tags such as <c>&lt;2fr&gt;</c> or
/// <c>__fr__</c>, control tokens), then the corpus tokens by frequency, most frequent first and ties in ordinal
/// string order, then T5's sentinels at the very end in descending order, so that <c>&lt;extra_id_0&gt;</c> has the
/// last id (as in T5, where it is 32099 of 32100).
/// </summary>
/// <param name="Specials">The special tokens; null for <see cref="SpecialTokens.Default"/>.</param>
/// <param name="ReservedTokens">Tokens that get fixed ids right after the specials, whatever the corpus holds.</param>
/// <param name="SentinelCount">How many sentinels <c>&lt;extra_id_0&gt;</c>.. to put at the end.</param>
/// <param name="MinFrequency">Corpus tokens seen fewer times than this are left out.</param>
/// <param name="MaxSize">The most ids in all (specials, reserved tokens and sentinels included); null for no limit.</param>
public sealed record VocabularyOptions(
    SpecialTokens? Specials = null,
    IReadOnlyList<string>? ReservedTokens = null,
    int SentinelCount = 0,
    int MinFrequency = 1,
    int? MaxSize = null)
{
    /// <summary>Throws when a count is negative or the fixed tokens do not fit in <see cref="MaxSize"/>.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(SentinelCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinFrequency, 1);
        int fixedCount = (Specials ?? SpecialTokens.Default).InOrder().Count() + (ReservedTokens?.Count ?? 0) + SentinelCount;
        if (MaxSize is { } max && max < fixedCount)
            throw new ArgumentException($"MaxSize {max} is smaller than the {fixedCount} special, reserved and sentinel tokens");
    }
}
