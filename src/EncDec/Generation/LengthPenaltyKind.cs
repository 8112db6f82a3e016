namespace EncDec.Generation;

/// <summary>How a finished hypothesis's summed log-probability is normalised for length before ranking.</summary>
public enum LengthPenaltyKind
{
    /// <summary>No normalisation: the raw sum, which favours short outputs.</summary>
    None,

    /// <summary>score / len^α (fairseq's <c>--lenpen</c>, CTranslate2's <c>length_penalty</c>); α = 1 is the mean log-probability.</summary>
    Average,

    /// <summary>score / ((5 + len) / 6)^α (Wu et al. 2016, GNMT; Marian's <c>--normalize</c> with <c>--word-penalty 0</c> is close).</summary>
    Gnmt,
}
