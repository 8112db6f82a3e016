using EncDec.Generation;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Tests.Generation;

/// <summary>
/// Beam search's candidates found row by row and merged (<see cref="RowCandidates.Best"/>, then
/// <see cref="RowCandidates.Merge"/>) against the one scan over a sentence's rows that they replace
/// (<see cref="RowCandidates.Reference"/>): the same candidates in the same order, ties and all, on every SIMD path and
/// every vocabulary size up to 80 (every remainder of the 8-token blocks).
/// </summary>
public class RowCandidatesTests
{
    public static TheoryData<SimdLevel> Paths() => new(SimdPath.Available);

    [Theory, MemberData(nameof(Paths))]
    public void MergedRowBests_EqualOneScan_ForEveryVocabularySize(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        var random = new RandomGenerator(11);
        for (int vocab = 0; vocab <= 80; vocab++)
            foreach (int beams in new[] { 1, 2, 4 })
                AssertMergeEqualsReference(random, vocab, beams, keep: 2 * beams, $"{level}, vocab {vocab}, beams {beams}");
    }

    [Theory, MemberData(nameof(Paths))]
    public void MergedRowBests_EqualOneScan_OnALargeVocabularyWithTiesAndMasks(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        var random = new RandomGenerator(12);
        for (int trial = 0; trial < 40; trial++)
            AssertMergeEqualsReference(random, 8_000, beams: 5, keep: 10, $"{level}, trial {trial}");
    }

    [Fact]
    public void Best_KeepsTheHighestScores_FirstTokenOnTies_AndSkipsMaskedTokensAndDeadRows()
    {
        float ninf = float.NegativeInfinity;
        float[] logProbs = [-2f, -1f, ninf, -1f, -3f, -0.5f, -1f, -4f, -1f, -2f];
        var buffer = new Candidate[4];

        int count = RowCandidates.Best(-10f, logProbs, row: 3, buffer);

        Assert.Equal(4, count);
        Assert.Equal([new(-10.5f, 3, 5), new(-11f, 3, 1), new(-11f, 3, 3), new(-11f, 3, 6)], buffer);
        Assert.Equal(0, RowCandidates.Best(ninf, logProbs, row: 3, buffer));
        Assert.Equal(0, RowCandidates.Best(0f, [ninf, ninf], row: 0, buffer));
    }

    [Fact]
    public void Merge_PutsEarlierRowsFirstOnEqualScores_AndKeepsOnlyTheBest()
    {
        var buffer = new Candidate[3];
        int count = 0;
        RowCandidates.Merge([new(-1f, 0, 7), new(-3f, 0, 2)], buffer, ref count);
        RowCandidates.Merge([new(-1f, 1, 4), new(-2f, 1, 9), new(-5f, 1, 1)], buffer, ref count);

        Assert.Equal(3, count);
        Assert.Equal([new(-1f, 0, 7), new(-1f, 1, 4), new(-2f, 1, 9)], buffer);
    }

    /// <summary>Rows of values drawn from a few levels (so that sums tie) with some masked tokens and sometimes a dead row,
    /// scores on a coarse grid (so that rows tie with each other too).</summary>
    private static void AssertMergeEqualsReference(RandomGenerator random, int vocab, int beams, int keep, string context)
    {
        var scores = new float[beams];
        var logProbs = new float[beams][];
        for (int r = 0; r < beams; r++)
        {
            scores[r] = random.NextSingle() < 0.15f ? float.NegativeInfinity : -random.NextInt(4) * 0.5f;
            logProbs[r] = new float[vocab];
            for (int t = 0; t < vocab; t++)
                logProbs[r][t] = random.NextSingle() < 0.1f ? float.NegativeInfinity : -random.NextInt(12) * 0.25f;
        }
        var expected = new Candidate[keep];
        int expectedCount = RowCandidates.Reference(firstRow: 20, scores, logProbs, expected);

        var merged = new Candidate[keep];
        var rowBest = new Candidate[keep];
        int count = 0;
        for (int r = 0; r < beams; r++)
        {
            int found = RowCandidates.Best(scores[r], logProbs[r], 20 + r, rowBest);
            RowCandidates.Merge(rowBest.AsSpan(0, found), merged, ref count);
        }

        Assert.True(expectedCount == count, $"{context}: {count} candidates, expected {expectedCount}");
        Assert.True(expected.AsSpan(0, count).SequenceEqual(merged.AsSpan(0, count)), $"{context}: the candidates differ");
    }
}
