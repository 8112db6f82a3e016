namespace EncDec.Data.Synthetic;

/// <summary>
/// A synthetic corpus in three parts. Dev and test sources are distinct from each other and within each split, and no
/// training pair has a dev or test source, so held-out scores measure generalisation rather than memory.
/// </summary>
/// <param name="Train">Training pairs (a source may repeat, as in natural corpora).</param>
/// <param name="Dev">Development pairs, all sources distinct.</param>
/// <param name="Test">Test pairs, all sources distinct and none in <paramref name="Dev"/>.</param>
public sealed record SyntheticSplits(IReadOnlyList<SyntheticPair> Train, IReadOnlyList<SyntheticPair> Dev, IReadOnlyList<SyntheticPair> Test);
