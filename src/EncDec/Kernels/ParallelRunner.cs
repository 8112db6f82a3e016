namespace EncDec.Kernels;

/// <summary>
/// Splits [0, count) into contiguous chunks, one per thread, and runs them on long-lived worker
/// threads plus the caller. Written by hand instead of <c>Parallel.For</c> because that allocates
/// delegates and tasks on every call, and a steady training step must allocate nothing.
/// Nested calls, and calls made while another thread holds the workers, run serially.
/// </summary>
public static class ParallelRunner
{
    private static readonly object s_gate = new();
    private static readonly List<Worker> s_workers = new();
    [ThreadStatic] private static bool t_inside;

    private static IParallelWork? s_work;
    private static int s_count, s_chunks, s_pending;
    private static SimdLevel s_simd;
    private static Exception? s_failure;
    private static readonly ManualResetEventSlim s_done = new(false, spinCount: 2000);

    /// <summary>
    /// Bytes the worker threads have allocated since they started, read after each chunk they run.
    /// Kernels must allocate nothing; tests check this figure, which other tests' allocations on
    /// their own threads cannot disturb (unlike a process-wide count).
    /// </summary>
    internal static long WorkerAllocatedBytes
    {
        get
        {
            lock (s_gate)
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
        if (threads <= 1 || t_inside || !Monitor.TryEnter(s_gate))
        {
            work.Execute(0, count);
            return;
        }
        try { RunChunks(count, work, threads); }
        finally { Monitor.Exit(s_gate); }
    }

    private static void RunChunks(int count, IParallelWork work, int threads)
    {
        while (s_workers.Count < threads - 1) s_workers.Add(new Worker(s_workers.Count + 1));
        s_work = work; s_count = count; s_chunks = threads; s_failure = null;
        s_simd = SimdPath.Current;
        s_pending = threads - 1;
        s_done.Reset();
        for (int t = 1; t < threads; t++) s_workers[t - 1].Start();
        t_inside = true;
        try { work.Execute(0, ChunkEnd(0)); }
        catch (Exception e) { s_failure ??= e; }
        finally { t_inside = false; }
        s_done.Wait();
        s_work = null;
        if (s_failure is { } failure)
            throw new AggregateException("a parallel kernel chunk failed", failure);
    }

    private static int ChunkEnd(int chunk) => (int)((long)s_count * (chunk + 1) / s_chunks);

    private sealed class Worker
    {
        private readonly int _chunk;
        private readonly ManualResetEventSlim _go = new(false, spinCount: 2000);
        public long AllocatedBytes;

        public Worker(int chunk)
        {
            _chunk = chunk;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"encdec-worker-{chunk}" };
            thread.Start();
        }

        public void Start() => _go.Set();

        private void Loop()
        {
            t_inside = true;
            while (true)
            {
                _go.Wait();
                _go.Reset();
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
    }
}
