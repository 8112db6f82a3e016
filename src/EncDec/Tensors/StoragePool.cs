namespace EncDec.Tensors;

/// <summary>
/// Reuses <see cref="TensorStorage"/> blocks between training or decoding steps. Requests are
/// rounded up to a size class (quarter steps between powers of two, so at most 25% is wasted);
/// a steady loop asks for the same classes every step and so allocates nothing after warm-up.
/// The pool is per thread, like the <see cref="TensorScope"/>s that return blocks to it: threads
/// stepping different models never take each other's blocks, and renting needs no lock.
/// <para>Idle blocks are bounded by <see cref="MaxPooledBytes"/> per thread. Training on real text
/// varies batch shapes from step to step, so without a bound the pool would keep the peak of every size
/// class ever seen (measured: 12 GB after 750 Multi30k steps). When a returned block would exceed the bound,
/// the classes rented least recently are released to the garbage collector first. The bound must exceed a step's
/// working set, or every step reallocates (the Transformer benchmark step needs about 1.5 GB).</para>
/// </summary>
public static class StoragePool
{
    private sealed class SizeClassStack
    {
        public readonly Stack<TensorStorage> Free = new();
        public long LastRented;
    }

    [ThreadStatic] private static Dictionary<int, SizeClassStack>? t_free;
    [ThreadStatic] private static long t_pooledFloats;
    [ThreadStatic] private static long t_clock;
    [ThreadStatic] private static long? t_limitOverride;

    /// <summary>The most bytes of idle blocks a thread keeps: a quarter of the memory available to the process (at
    /// least 2 GiB), so a training step's whole working set stays pooled, unless the environment variable
    /// <c>ENCDEC_POOL_MB</c> says otherwise; settable (all threads read it).</summary>
    public static long MaxPooledBytes { get; set; } = DefaultMaxPooledBytes();

    /// <summary>Floats currently held idle in this thread's pool.</summary>
    public static long PooledFloats => t_pooledFloats;

    /// <summary>A storage of at least <paramref name="count"/> floats; its contents are undefined.</summary>
    public static TensorStorage Rent(int count)
    {
        int capacity = SizeClass(count);
        if (t_free is not null && t_free.TryGetValue(capacity, out var entry))
        {
            entry.LastRented = ++t_clock;
            if (entry.Free.Count > 0)
            {
                t_pooledFloats -= capacity;
                return entry.Free.Pop();
            }
        }
        return new TensorStorage(capacity);
    }

    /// <summary>Gives <paramref name="storage"/> back to this thread's pool; the caller must hold no other reference.</summary>
    public static void Return(TensorStorage storage)
    {
        var free = t_free ??= new Dictionary<int, SizeClassStack>();
        long limit = (t_limitOverride ?? MaxPooledBytes) / sizeof(float);
        if (storage.Capacity > limit) return;                         // larger than the whole budget: let the GC have it
        if (!free.TryGetValue(storage.Capacity, out var entry))
            free[storage.Capacity] = entry = new SizeClassStack { LastRented = ++t_clock };
        while (t_pooledFloats + storage.Capacity > limit && EvictLeastRecent(free, entry)) { }
        if (t_pooledFloats + storage.Capacity > limit) return;
        entry.Free.Push(storage);
        t_pooledFloats += storage.Capacity;
    }

    /// <summary>Overrides <see cref="MaxPooledBytes"/> for the calling thread only (null: back to the process setting); for tests.</summary>
    internal static void SetThreadLimit(long? bytes) => t_limitOverride = bytes;

    /// <summary>Drops every idle block of this thread (e.g. after a large one-off computation).</summary>
    public static void Trim()
    {
        t_free?.Clear();
        t_pooledFloats = 0;
    }

    /// <summary>Releases the idle blocks of the least recently rented class other than <paramref name="keep"/>
    /// (or one block of <paramref name="keep"/> when it is the only class); false when nothing is idle.</summary>
    private static bool EvictLeastRecent(Dictionary<int, SizeClassStack> free, SizeClassStack keep)
    {
        KeyValuePair<int, SizeClassStack>? oldest = null;
        foreach (var pair in free)
            if (pair.Value != keep && pair.Value.Free.Count > 0 && (oldest is null || pair.Value.LastRented < oldest.Value.Value.LastRented))
                oldest = pair;
        if (oldest is { } victim)
        {
            t_pooledFloats -= (long)victim.Key * victim.Value.Free.Count;
            victim.Value.Free.Clear();
            return true;
        }
        if (keep.Free.Count == 0) return false;
        t_pooledFloats -= keep.Free.Pop().Capacity;
        return true;
    }

    private static long DefaultMaxPooledBytes() =>
        long.TryParse(Environment.GetEnvironmentVariable("ENCDEC_POOL_MB"), out long megabytes) && megabytes >= 0
            ? megabytes << 20
            : Math.Max(2L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);

    /// <summary>The capacity a request of <paramref name="count"/> floats is rounded up to.</summary>
    internal static int SizeClass(int count)
    {
        if (count <= 64) return 64;
        int power = 1 << (31 - int.LeadingZeroCount(count - 1));   // largest power of two < count
        int step = Math.Max(power / 4, 16);
        long rounded = ((long)count + step - 1) / step * step;
        return (int)Math.Min(rounded, int.MaxValue);
    }
}
