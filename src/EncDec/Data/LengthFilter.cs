namespace EncDec.Data;

/// <summary>What <see cref="TokenBatcher"/> does with a pair longer than the maximum length.</summary>
public enum LengthFilter
{
    /// <summary>Drop the pair and count it (<see cref="BatchingStatistics.TooLong"/>), as Marian and fairseq do by default.</summary>
    Skip,

    /// <summary>Keep the first tokens that fit, End included (Marian's <c>--max-length-crop</c>), and count it
    /// (<see cref="BatchingStatistics.Truncated"/>).</summary>
    Truncate,
}
