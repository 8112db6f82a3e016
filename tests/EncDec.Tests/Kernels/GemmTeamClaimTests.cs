using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// <see cref="GemmTeamDriver.Claim"/>, the guided schedule by which team members take rows of a block: every panel
/// exactly once, in order, in claims that shrink from a cache block to single panels; also under contention, and when
/// the units are rows of several column slabs (<see cref="GemmTeamDriver.Slabs"/>), no claim crosses a slab.
/// </summary>
public class GemmTeamClaimTests
{
    [Theory]
    [InlineData(1, 32)]
    [InlineData(2, 32)]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    [InlineData(4, 10)]
    public void SequentialClaims_CoverEveryPanelOnce_InShrinkingPieces(int members, int maxPanels)
    {
        for (int panels = 1; panels <= 200; panels++)
        {
            int next = 0, covered = 0, previous = int.MaxValue;
            while (GemmTeamDriver.Claim(ref next, panels, members, maxPanels) is var (first, count) && count > 0)
            {
                Assert.Equal(covered, first);
                int left = panels - first;
                int expected = Math.Min(left, Math.Clamp((left + 2 * members - 1) / (2 * members), 1, maxPanels));
                Assert.Equal(expected, count);
                Assert.True(count <= previous, $"{panels} panels: claim of {count} after {previous}");
                covered += count;
                previous = count;
            }
            Assert.Equal(panels, covered);
            Assert.Equal(panels, next);
            Assert.Equal((panels, 0), GemmTeamDriver.Claim(ref next, panels, members, maxPanels));   // stays exhausted
        }
    }

    [Theory]
    [InlineData(2, 32)]
    [InlineData(3, 2)]
    [InlineData(16, 32)]
    public void SegmentedClaims_CoverEveryUnitOnce_NeverAcrossASegment(int members, int maxPanels)
    {
        for (int segment = 1; segment <= 30; segment++)
            for (int segments = 1; segments <= 5; segments++)
            {
                int units = segment * segments, next = 0, covered = 0;
                while (GemmTeamDriver.Claim(ref next, units, members, maxPanels, segment) is var (first, count) && count > 0)
                {
                    Assert.Equal(covered, first);
                    Assert.True(first / segment == (first + count - 1) / segment,
                        $"claim [{first}, {first + count}) crosses a segment of {segment}");
                    int guided = Math.Clamp((units - first + 2 * members - 1) / (2 * members), 1, maxPanels);
                    Assert.Equal(Math.Min(guided, segment - first % segment), count);
                    covered += count;
                }
                Assert.Equal(units, covered);
            }
    }

    [Theory]
    [InlineData(22, 8, 16, 3, 3)]    // the weight gradient of the bench workload on 16 threads: 66 units
    [InlineData(22, 8, 2, 1, 8)]     // the same on 2 threads: rows alone suffice
    [InlineData(160, 8, 16, 1, 8)]   // tall: rows alone suffice
    [InlineData(3, 2, 4, 2, 1)]      // no more slabs than column panels
    [InlineData(5, 7, 2, 2, 4)]      // 7 panels in slabs of 4 and 3
    [InlineData(1, 1, 8, 1, 1)]
    public void Slabs_MakeAboutFourUnitsPerMember_WithoutEmptySlabs(int rowPanels, int columnPanels, int members,
        int expectedSlabs, int expectedSlabPanels)
    {
        var (slabs, slabPanels) = GemmTeamDriver.Slabs(rowPanels, columnPanels, members);

        Assert.Equal((expectedSlabs, expectedSlabPanels), (slabs, slabPanels));
        Assert.True(slabs * slabPanels >= columnPanels && (slabs - 1) * slabPanels < columnPanels);
    }

    [Fact]
    public void FirstClaims_AreWholeCacheBlocks_LastOnesSinglePanels()
    {
        int next = 0;
        var counts = new List<int>();
        while (GemmTeamDriver.Claim(ref next, 160, 2, 32) is var (_, count) && count > 0) counts.Add(count);

        Assert.Equal([32, 32, 24, 18, 14, 10, 8, 6, 4, 3, 3, 2, 1, 1, 1, 1], counts);
    }

    [Fact]
    public void ConcurrentClaims_TakeEachPanelExactlyOnce()
    {
        const int panels = 200_000;
        var owner = new int[panels];
        int next = 0, doubles = 0;   // failures are counted, not asserted, on the claiming threads
        var threads = Enumerable.Range(1, 3).Select(id => new Thread(() =>
        {
            while (GemmTeamDriver.Claim(ref next, panels, 3, 5) is var (first, count) && count > 0)
                for (int p = first; p < first + count; p++)
                    if (Interlocked.Exchange(ref owner[p], id) != 0) Interlocked.Increment(ref doubles);
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();

        Assert.Equal(0, doubles);
        Assert.DoesNotContain(0, owner);
        Assert.Equal(panels, next);
    }
}
