using EncDec.Data;
using EncDec.Tensors;

namespace EncDec.Tests.Data;

public sealed class BatchPlannerTests
{
    private static List<TokenizedPair> RandomPool(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new TokenizedPair(new SentencePair("", "", "", i + 1),
            new int[random.Next(1, 40)], new int[random.Next(0, 40)])).ToList();
    }

    [Fact]
    public void SortByLength_OrdersByTarget_ThenSourceSnakingUpAndDown()
    {
        var pool = RandomPool(2000, 1);
        BatchPlanner.SortByLength(pool, new RandomGenerator(5));
        for (int i = 1; i < pool.Count; i++)
        {
            var (previous, current) = (pool[i - 1], pool[i]);
            Assert.True(previous.TargetLength <= current.TargetLength);
            if (previous.TargetLength != current.TargetLength) continue;
            // Ascending sources under an even target length, descending under an odd one.
            if (current.TargetLength % 2 == 0) Assert.True(previous.SourceLength <= current.SourceLength);
            else Assert.True(previous.SourceLength >= current.SourceLength);
        }
    }

    [Fact]
    public void SortByLength_WithoutGenerator_KeepsPoolOrderAmongEqualLengths()
    {
        var pool = RandomPool(2000, 2);
        BatchPlanner.SortByLength(pool, random: null);
        for (int i = 1; i < pool.Count; i++)
        {
            if (pool[i - 1].TargetLength == pool[i].TargetLength && pool[i - 1].SourceLength == pool[i].SourceLength)
                Assert.True(pool[i - 1].Pair.Line < pool[i].Pair.Line);
        }
    }

    [Theory]
    [InlineData(100, 1000)]
    [InlineData(400, 7)]
    [InlineData(30, 1000)]      // below some single pairs: they get batches of their own
    public void Cut_GivesMaximalBatchesWithinTheBudgets(int maxTokens, int maxSentences)
    {
        var pool = RandomPool(1500, 3);
        BatchPlanner.SortByLength(pool, new RandomGenerator(1));
        var cuts = BatchPlanner.Cut(pool, maxTokens, maxSentences);

        static long Cost(IEnumerable<TokenizedPair> batch) =>
            (long)batch.Max(p => Math.Max(p.SourceLength, p.TargetLength)) * batch.Count();
        Assert.Equal(Enumerable.Range(0, pool.Count), cuts.SelectMany(c => Enumerable.Range(c.Start, c.Count)));
        for (int b = 0; b < cuts.Count; b++)
        {
            var batch = pool.GetRange(cuts[b].Start, cuts[b].Count);
            Assert.True(batch.Count == 1 || (Cost(batch) <= maxTokens && batch.Count <= maxSentences));
            if (b + 1 == cuts.Count) continue;
            // Greedy: the next pair would not have fitted.
            var grown = pool.GetRange(cuts[b].Start, cuts[b].Count + 1);
            Assert.True(Cost(grown) > maxTokens || grown.Count > maxSentences);
        }
    }
}
