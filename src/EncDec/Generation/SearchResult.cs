namespace EncDec.Generation;

/// <summary>What a search found for one input sequence.</summary>
/// <param name="Hypotheses">Best first by <see cref="Hypothesis.NormalisedScore"/>: up to
/// <see cref="SearchOptions.NBest"/> distinct sequences for beam search, one for greedy search,
/// <see cref="SearchOptions.NumSamples"/> for sampling (independent draws, which may repeat).</param>
public sealed record SearchResult(IReadOnlyList<Hypothesis> Hypotheses)
{
    /// <summary>The best hypothesis.</summary>
    public Hypothesis Best => Hypotheses[0];
}
