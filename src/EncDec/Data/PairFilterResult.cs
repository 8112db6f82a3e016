namespace EncDec.Data;

/// <summary>What the length filter did with one tokenized pair.</summary>
internal enum PairFilterResult
{
    /// <summary>Kept as it is.</summary>
    Kept,

    /// <summary>Kept, cut to the maximum length.</summary>
    Truncated,

    /// <summary>Skipped: a side has no token.</summary>
    Empty,

    /// <summary>Skipped: a side has fewer than the minimum tokens.</summary>
    TooShort,

    /// <summary>Skipped: a side is longer than its maximum.</summary>
    TooLong,
}
