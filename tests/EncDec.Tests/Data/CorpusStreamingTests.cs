using EncDec.Data;
using static EncDec.Tests.Data.BatchingData;

namespace EncDec.Tests.Data;

public sealed class CorpusStreamingTests : IDisposable
{
    private readonly CorpusFiles files = new();
    private long pulled;

    public void Dispose() => files.Dispose();

    private IEnumerable<(string, string)> Endless()
    {
        for (long i = 0; ; i++)
        {
            pulled++;
            yield return ($"{4 + i % 50} 5 6", string.Join(' ', Enumerable.Repeat(7, 1 + (int)(i % 9))));
        }
    }

    [Fact]
    public void Read_IsLazy_PullingOnlyWhatIsConsumed()
    {
        var corpus = ParallelCorpus.FromPairs(Endless());
        var pairs = corpus.Read();
        Assert.Equal(0, pulled);
        Assert.Equal(3, pairs.Take(3).Count());
        Assert.Equal(3, pulled);
        Assert.Equal(3, corpus.Statistics.Read);
    }

    [Fact]
    public void Epoch_OnAnEndlessCorpus_ReadsOnePoolAtATime()
    {
        var batcher = new TokenBatcher(ParallelCorpus.FromPairs(Endless()), Encode, Encode, Ids, appendSourceEnd: true,
            new BatchingOptions(MaxTokens: 40, PoolSize: 100));
        var firstBatches = batcher.Epoch(0).Take(3).ToList();
        Assert.Equal(100, pulled);
        Assert.All(firstBatches, b => Assert.True(b.PaddedTokens <= 40));
        var many = batcher.Epoch(0).Take(1000).Count();
        Assert.Equal(1000, many);
        Assert.True(pulled < 100 + 1000 * 40 / 4, $"{pulled} pairs pulled for 1000 batches of at most 40 tokens");
    }
}
