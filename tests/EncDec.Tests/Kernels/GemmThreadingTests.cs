using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// Tests that change process-wide settings (thread count, the parallel threshold) or measure
/// process-wide allocation, so they run alone.
/// </summary>
[CollectionDefinition(nameof(GemmSerialCollection), DisableParallelization = true)]
public sealed class GemmSerialCollection;

/// <summary>Every split of a GEMM between threads computes the same C, and none allocates.</summary>
[Collection(nameof(GemmSerialCollection))]
public sealed class GemmThreadingTests : IDisposable
{
    private readonly int _threads = Parallelism.ThreadCount;
    private readonly double _parallelFlops = Gemm.ParallelFlops;

    public void Dispose()
    {
        Parallelism.ThreadCount = _threads;
        Gemm.ParallelFlops = _parallelFlops;
    }

    public static TheoryData<SimdLevel, int> LevelsAndThreads()
    {
        var data = new TheoryData<SimdLevel, int>();
        foreach (var level in SimdPath.Available)
            foreach (int threads in new[] { 1, 2 }) data.Add(level, threads);
        return data;
    }

    [Theory]
    [MemberData(nameof(LevelsAndThreads))]
    public void EverySplit_MatchesReference(SimdLevel level, int threads)
    {
        using var _ = SimdPath.Force(level);
        Parallelism.ThreadCount = threads;
        Gemm.ParallelFlops = 0;   // split even tiny problems
        GemmCase[] cases =
        [
            new(1, 65, 33, 20),                                   // rows
            new(1, 7, 65, 33, TransposeB: true),                  // columns
            new(1, 13, 1, 65, Beta: 0.5f),                        // n == 1: row dots
            new(1, 1, 1000, 33),                                  // m == 1: axpy over columns
            new(1, 1, 300, 33, TransposeB: true, Alpha: 2f),      // m == 1: column dots
            new(3, 33, 7, 65, TransposeA: true, PadC: 1),         // batch
            new(2, 33, 65, 7, BroadcastB: true),                  // batch folded into rows
            new(2, 4, 1000, 20, InterleaveC: true, Beta: 1f),     // batch < threads: columns per matrix
            new(1, 300, 260, 270, TransposeA: true, Beta: -1f),   // several cache blocks per thread
            new(1, 200, 40, 1100, Beta: 0.5f),                    // team: 3 depth blocks, both B buffers
            new(1, 2100, 2049, 3, TransposeB: true),              // team: 2 column blocks, ragged panel
            new(1, 25, 20, 600, Beta: 2f),                        // team: 3 row panels claimed one by one
            new(1, 70, 65, 600, Beta: 0.5f),                      // team: 6 row panels, claimed in column slabs
        ];
        int seed = 500;
        foreach (var gemmCase in cases) gemmCase.Build(seed++).AssertMatchesReference();
    }

    [Fact]
    public void NestedTeamCall_RunsOnOneThread_MatchesReference()
    {
        Parallelism.ThreadCount = 2;
        var cases = new[] { new GemmCase(1, 200, 40, 1100, Beta: 0.5f).Build(600), new GemmCase(1, 150, 60, 30).Build(601) };
        var actual = new float[cases.Length][];
        ParallelRunner.For(cases.Length, new NestedMultiply(cases, actual));   // each call runs inside a chunk
        for (int i = 0; i < cases.Length; i++)
            GemmCase.AssertClose(cases[i].Expected(), actual[i], cases[i].Tolerance(), $"{cases[i]} nested");
    }

    private sealed class NestedMultiply(GemmCase[] cases, float[][] actual) : IParallelWork
    {
        public void Execute(int begin, int end)
        {
            for (int i = begin; i < end; i++) actual[i] = cases[i].Actual();
        }
    }

    [Theory]
    [MemberData(nameof(LevelsAndThreads))]
    public void AfterWarmUp_MultiplyAllocatesNothing(SimdLevel level, int threads)
    {
        using var _ = SimdPath.Force(level);
        Parallelism.ThreadCount = threads;
        GemmCase[] cases =
        [
            new GemmCase(1, 300, 300, 300, Beta: 1f).Build(1),
            new GemmCase(1, 200, 150, 300, TransposeA: true, TransposeB: true).Build(2),
            new GemmCase(4, 40, 50, 60, BroadcastA: true).Build(3),
            new GemmCase(1, 1, 3000, 400).Build(4),
            new GemmCase(1, 9, 7, 5).Build(5),
        ];
        void RunAll()
        {
            foreach (var g in cases) Gemm.Multiply(g.Batch, g.M, g.N, g.K, g.Alpha, g.A, g.AStrides, g.B, g.BStrides, g.Beta, g.C, g.CStrides);
        }
        for (int i = 0; i < 3; i++) RunAll();

        long workersBefore = ParallelRunner.WorkerAllocatedBytes;
        AllocationAssert.ZeroAfterWarmUp(RunAll, warmup: 0);                  // the calling thread
        Assert.Equal(workersBefore, ParallelRunner.WorkerAllocatedBytes);     // and the worker threads
    }
}
