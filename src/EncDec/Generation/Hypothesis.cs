namespace EncDec.Generation;

/// <summary>
/// One output sequence found by a search.
/// </summary>
/// <param name="Tokens">The target ids, without the start and end tokens (a forced prefix included).</param>
/// <param name="Score">Sum of the token log-probabilities, the end token's included when it was emitted (after
/// repetition penalty, before length and coverage penalties).</param>
/// <param name="NormalisedScore">What hypotheses are ranked by: <see cref="Score"/> after the length penalty, plus the
/// coverage penalty (equal to <see cref="Score"/> when both are off).</param>
/// <param name="TokenLogProbs">The log-probability of each scored token: <see cref="Tokens"/>, then the end token when
/// it was emitted (not when the search stopped at the maximum length with <see cref="SearchOptions.IgnoreEnd"/>).</param>
/// <param name="Attention">With <see cref="SearchOptions.ReturnAttention"/>: for each entry of
/// <see cref="TokenLogProbs"/> the decoder's attention over the real source positions, (steps)(srcLen); else null.</param>
/// <param name="Heads">With <see cref="SearchOptions.ReturnAttention"/> and a decoder that reports it: every layer's
/// and head's attention per step; else null.</param>
public sealed record Hypothesis(
    int[] Tokens,
    float Score,
    float NormalisedScore,
    float[] TokenLogProbs,
    float[][]? Attention = null,
    AttentionHeads? Heads = null)
{
    /// <summary>Whether the hypothesis ended with the end token (false when cut at the maximum length).</summary>
    public bool Ended => TokenLogProbs.Length > Tokens.Length;
}
