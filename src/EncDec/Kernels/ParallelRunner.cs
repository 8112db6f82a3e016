namespace EncDec.Kernels;

/// <summary>
/// Splits [0, count) into contiguous chunks, one per thread, and runs them on long-lived worker
/// threads plus the caller. Written by hand instead of <c>Parallel.For</c> because that allocates
/// delegates and tasks on every call, and a steady training step must allocate nothing.
/// Nested calls, and calls made while another thread holds the workers, run serially.
/// <para>An idle worker polls for <see cref="SpinMicroseconds"/> before it sleeps, and the caller polls for the
/// workers' chunks the same way: a decoding step is a few dozen parallel regions of tens of microseconds with short
/// serial gaps, and waking a sleeping thread costs tens of microseconds on a VM (as OpenMP runtimes do, only for far
/// less time than their default). The polls are tight loops on one field, not <see cref="SpinWait"/>, whose back-off
/// and yields added microseconds to every region.</para>
/// </summary>
public static class ParallelRunner
{
    private static readonly object s_workersLock = new();
    private static readonly List<Worker> s_workers = new();
    [ThreadStatic] private static bool t_inside;
    // 1 while a thread runs a region: an interlocked flag rather than a Monitor, whose entry showed up in profiles of
    // decoding steps once the lock object had been inflated.
    private static int s_busy;

    private static IParallelWork? s_work;
    private static int s_count, s_chunks, s_pending;
    private static SimdLevel s_simd;
    private static Exception? s_failure;
    private static readonly ManualResetEventSlim s_done = new(false, spinCount: 0);
    private static readonly Func<bool> s_allDone = static () => Volatile.Read(ref s_pending) == 0;
    // The current region: its number (high 32 bits, incremented per region) and thread count (low 32 bits), published
    // in one write so that a worker decides whether it takes part from a consistent pair.
    private static long s_region;

    /// <summary>How long an idle worker polls for the next region before it blocks.</summary>
    internal const int SpinMicroseconds = 200;

    /// <summary>
    /// Bytes the worker threads have allocated since they started, read after each chunk they run.
    /// Kernels must allocate nothing; tests check this figure, which other tests' allocations on
    /// their own threads cannot disturb (unlike a process-wide count).
    /// </summary>
    internal static long WorkerAllocatedBytes
    {
        get
        {
            lock (s_workersLock)
            {
                long total = 0;
                foreach (var worker in s_workers) total += Volatile.Read(ref worker.AllocatedBytes);
                return total;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> over [0, <paramref name="count"/>) using up to
    /// <paramref name="maxThreads"/> threads (default <see cref="Parallelism.ThreadCount"/>).</summary>
    public static void For(int count, IParallelWork work, int maxThreads = 0)
    {
        if (count <= 0) return;
        int threads = Math.Min(count, maxThreads > 0 ? maxThreads : Parallelism.ThreadCount);
        if (threads <= 1 || t_inside || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            work.Execute(0, count);
            return;
        }
        try { RunChunks(count, work, threads); }
        finally { Volatile.Write(ref s_busy, 0); }
    }

    private static void RunChunks(int count, IParallelWork work, int threads)
    {
        if (s_workers.Count < threads - 1)
            lock (s_workersLock)
                while (s_workers.Count < threads - 1) s_workers.Add(new Worker(s_workers.Count + 1));
        s_work = work; s_count = count; s_chunks = threads; s_failure = null;
        s_simd = SimdPath.Current;
        s_pending = threads - 1;
        s_done.Reset();
        Interlocked.Exchange(ref s_region, ((long)(Generation(s_region) + 1) << 32) | (uint)threads);
        for (int t = 1; t < threads; t++) s_workers[t - 1].Start();
        t_inside = true;
        try { work.Execute(0, ChunkEnd(0)); }
        catch (Exception e) { s_failure ??= e; }
        finally { t_inside = false; }
        if (!Poll(s_allDone))
            while (Volatile.Read(ref s_pending) != 0)
            {
                s_done.Wait();
                // The caller may leave a region as soon as the count reaches 0, before the last worker's Set: that late
                // Set must not end the next region's wait early.
                s_done.Reset();
            }
        s_work = null;
        if (s_failure is { } failure)
            throw new AggregateException("a parallel kernel chunk failed", failure);
    }

    /// <summary>Polls <paramref name="condition"/> in a tight loop for up to <see cref="SpinMicroseconds"/>; true once
    /// it holds, false when the time ran out first.</summary>
    private static bool Poll(Func<bool> condition)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int spins = 1; !condition(); spins++)
        {
            Thread.SpinWait(1);
            if ((spins & 63) == 0 && System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds >= SpinMicroseconds)
                return condition();
        }
        return true;
    }

    private static int ChunkEnd(int chunk) => (int)((long)s_count * (chunk + 1) / s_chunks);

    private static int Generation(long region) => (int)(region >> 32);

    private sealed class Worker
    {
        private readonly int _chunk;
        private readonly Func<bool> _newRegion;
        private readonly ManualResetEventSlim _go = new(false, spinCount: 0);
        private int _sleeping, _generation;
        public long AllocatedBytes;

        public Worker(int chunk)
        {
            _chunk = chunk;
            _newRegion = NewRegion;
            _generation = Generation(Volatile.Read(ref s_region));
            var thread = new Thread(Loop) { IsBackground = true, Name = $"encdec-worker-{chunk}" };
            thread.Start();
        }

        /// <summary>Called after <see cref="s_region"/> moved on: wakes the worker if it sleeps. The worker
        /// announces sleep before its last look at the generation, and both sides use full fences, so either it
        /// sees the new generation or this sees it sleeping.</summary>
        public void Start()
        {
            if (Volatile.Read(ref _sleeping) == 1) _go.Set();
        }

        private void Loop()
        {
            t_inside = true;
            while (true)
            {
                WaitForRegion();
                long region = Volatile.Read(ref s_region);
                _generation = Generation(region);
                // Every idle worker sees a new region; only those the region has a chunk for take part (a region may use
                // fewer threads than there are workers, after a smaller thread count or a smaller maxThreads). Number
                // and thread count come from one read: a worker left out of one region must not mistake the next
                // region's thread count for its own.
                if (_chunk >= (int)region) continue;
                try
                {
                    using var simd = SimdPath.Force(s_simd);
                    s_work!.Execute(ChunkEnd(_chunk - 1), ChunkEnd(_chunk));
                }
                catch (Exception e) { Interlocked.CompareExchange(ref s_failure, e, null); }
                Volatile.Write(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
                if (Interlocked.Decrement(ref s_pending) == 0) s_done.Set();
            }
        }

        private bool NewRegion() => Generation(Volatile.Read(ref s_region)) != _generation;

        private void WaitForRegion()
        {
            if (Poll(_newRegion)) return;
            while (!NewRegion())
            {
                Interlocked.Exchange(ref _sleeping, 1);
                if (!NewRegion()) _go.Wait();
                Interlocked.Exchange(ref _sleeping, 0);
                _go.Reset();   // a stale wake-up only costs one more look at the generation
            }
        }
    }
}
