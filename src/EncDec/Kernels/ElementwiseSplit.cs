namespace EncDec.Kernels;

/// <summary>
/// Spreads a long elementwise loop over the kernel threads: [0, n) is cut into one contiguous chunk per thread,
/// each a multiple of 64 elements (whole cache lines and vectors), and the chunk body runs on plain spans, so the
/// result is the same for any thread count. Below <see cref="MinimumLength"/> elements the caller's thread does
/// everything: waking a worker costs more than streaming a few hundred kilobytes.
/// </summary>
internal static unsafe class ElementwiseSplit
{
    /// <summary>Shortest loop worth splitting.</summary>
    public const int MinimumLength = 1 << 16;

    /// <summary>A chunk body over pinned operands: elements [start, start + length) of each.</summary>
    public interface IBody
    {
        void Run(int start, int length);
    }

    /// <summary>Whether a loop of <paramref name="n"/> elements should be split.</summary>
    public static bool Worthwhile(int n) => n >= MinimumLength && Parallelism.ThreadCount > 1;

    /// <summary>Runs <paramref name="body"/> over [0, <paramref name="n"/>) in per-thread chunks.</summary>
    public static void Run<TBody>(TBody body, int n) where TBody : class, IBody
    {
        int chunks = Math.Min(Parallelism.ThreadCount, (n + 63) / 64);
        var work = Work<TBody>.Current;
        work.Set(body, n, chunks);
        try
        {
            ParallelRunner.For(chunks, work, chunks);
        }
        finally
        {
            work.Set(null, 0, 1);
        }
    }

    private sealed class Work<TBody> : IParallelWork where TBody : class, IBody
    {
        [ThreadStatic] private static Work<TBody>? t_current;
        private TBody? _body;
        private int _n, _chunks;

        public static Work<TBody> Current => t_current ??= new Work<TBody>();

        public void Set(TBody? body, int n, int chunks) => (_body, _n, _chunks) = (body, n, chunks);

        public void Execute(int begin, int end)
        {
            for (int chunk = begin; chunk < end; chunk++)
            {
                int start = Boundary(chunk), stop = Boundary(chunk + 1);
                if (stop > start) _body!.Run(start, stop - start);
            }
        }

        private int Boundary(int chunk) => chunk >= _chunks ? _n : (int)Math.Min(_n, (long)_n * chunk / _chunks / 64 * 64);
    }
}
