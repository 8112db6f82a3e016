using System.IO.Compression;
using System.Text;
using EncDec.Data;
using static EncDec.Tests.Data.BatchingData;

namespace EncDec.Tests.Data;

/// <summary>Tests that measure the process's live memory, which tests running beside them would disturb.</summary>
[CollectionDefinition(nameof(MemorySerialCollection), DisableParallelization = true)]
public sealed class MemorySerialCollection;

[Collection(nameof(MemorySerialCollection))]
public sealed class StreamingMemoryTests : IDisposable
{
    private readonly CorpusFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void MillionLineGzip_IsBatchedInBoundedMemory()
    {
        const int lines = 1_000_000;
        string path = files.PathOf("big.tsv.gz");
        // 997 distinct lines, cycled: cheap to write, and the pairs still differ in length.
        byte[][] distinct = Enumerable.Range(0, 997).Select(i => Encoding.UTF8.GetBytes($"{i} {new string('a', i % 23)}\t{i % 31} b\n")).ToArray();
        using (var zip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            for (int i = 0; i < lines; i++) zip.Write(distinct[i % distinct.Length]);
        }
        // One id per character: the cheapest tokenizer, so that the test measures the reading and batching.
        static int[] Characters(string text) => Array.ConvertAll(text.ToCharArray(), c => (int)c);
        var batcher = new TokenBatcher(ParallelCorpus.OpenTsv(path), Characters, Characters, Ids, appendSourceEnd: true,
            new BatchingOptions(MaxTokens: 4096, PoolSize: 2000));

        long baseline = 0, peak = 0, sentences = 0;
        int batches = 0;
        foreach (var batch in batcher.Epoch(0))
        {
            sentences += batch.Sentences;
            // Live memory (after a full collection) in the first pool and at every 100th batch after it.
            if (batches++ % 100 == 0)
            {
                long live = GC.GetTotalMemory(forceFullCollection: true);
                if (baseline == 0) baseline = live;
                peak = Math.Max(peak, live);
            }
        }

        Assert.Equal(lines, sentences);
        Assert.Equal(lines, batcher.Statistics.PairsKept);
        Assert.True(batches / 100 >= 5, $"only {batches} batches: too few memory samples");
        // A million pairs held at once would take well over 100 MB (two strings and two id arrays each).
        Assert.True(peak - baseline < 16 << 20, $"live memory grew by {(peak - baseline) >> 20} MB while streaming");
    }
}
