using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// <see cref="ParallelRunner"/> runs every index exactly once, also when a region uses fewer threads than there are
/// workers (workers are created for the largest thread count seen and every idle one notices a new region), and across
/// many back-to-back regions of the kind a decoding step issues.
/// </summary>
[Collection(nameof(GemmSerialCollection))]
public class ParallelRunnerTests
{
    private sealed class Counter(int count) : IParallelWork
    {
        public readonly int[] Hits = new int[count];

        public void Execute(int begin, int end)
        {
            Assert.InRange(begin, 0, Hits.Length);
            Assert.InRange(end, begin, Hits.Length);
            for (int i = begin; i < end; i++) Interlocked.Increment(ref Hits[i]);
        }
    }

    [Fact]
    public void EveryIndexRunsOnce_WhenARegionUsesFewerThreadsThanThereAreWorkers()
    {
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 4;                  // three workers exist from here on
            AssertOnce(new Counter(1000), maxThreads: 0);
            Parallelism.ThreadCount = 2;
            // Regions of 2 and 3 threads back to back: a worker left out of one must not take part in the next by
            // reading the next region's thread count (a narrow race, so many regions).
            for (int region = 0; region < 5000; region++)
            {
                AssertOnce(new Counter(37), maxThreads: 0);
                AssertOnce(new Counter(64), maxThreads: 2);
                AssertOnce(new Counter(5), maxThreads: 3);
            }
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Fact]
    public void EveryIndexRunsOnce_AcrossRegionsWithSleepsBetweenThem()
    {
        // Gaps longer than the workers' spin make them block, so both wake-up paths are exercised.
        for (int region = 0; region < 20; region++)
        {
            AssertOnce(new Counter(100), maxThreads: 0);
            if (region % 4 == 0) Thread.Sleep(2);
        }
    }

    private static void AssertOnce(Counter counter, int maxThreads)
    {
        ParallelRunner.For(counter.Hits.Length, counter, maxThreads);
        Assert.All(counter.Hits, hits => Assert.Equal(1, hits));
    }
}
