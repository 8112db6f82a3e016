namespace EncDec.Tensors;

/// <summary>
/// Reuses <see cref="TensorStorage"/> blocks between training or decoding steps. Requests are
/// rounded up to a size class (quarter steps between powers of two, so at most 25% is wasted);
/// a steady loop asks for the same classes every step and so allocates nothing after warm-up.
/// The pool is per thread, like the <see cref="TensorScope"/>s that return blocks to it: threads
/// stepping different models never take each other's blocks, and renting needs no lock.
/// </summary>
public static class StoragePool
{
    [ThreadStatic] private static Dictionary<int, Stack<TensorStorage>>? t_free;
    [ThreadStatic] private static long t_pooledFloats;

    /// <summary>Floats currently held idle in this thread's pool.</summary>
    public static long PooledFloats => t_pooledFloats;

    /// <summary>A storage of at least <paramref name="count"/> floats; its contents are undefined.</summary>
    public static TensorStorage Rent(int count)
    {
        int capacity = SizeClass(count);
        if (t_free is not null && t_free.TryGetValue(capacity, out var stack) && stack.Count > 0)
        {
            t_pooledFloats -= capacity;
            return stack.Pop();
        }
        return new TensorStorage(capacity);
    }

    /// <summary>Gives <paramref name="storage"/> back to this thread's pool; the caller must hold no other reference.</summary>
    public static void Return(TensorStorage storage)
    {
        var free = t_free ??= new Dictionary<int, Stack<TensorStorage>>();
        if (!free.TryGetValue(storage.Capacity, out var stack))
            free[storage.Capacity] = stack = new Stack<TensorStorage>();
        stack.Push(storage);
        t_pooledFloats += storage.Capacity;
    }

    /// <summary>Drops every idle storage of this thread's pool so the garbage collector can reclaim it.</summary>
    public static void Trim()
    {
        t_free?.Clear();
        t_pooledFloats = 0;
    }

    internal static int SizeClass(int count)
    {
        if (count <= 64) return 64;
        int power = 1 << (31 - int.LeadingZeroCount(count - 1));   // largest power of two < count
        int step = Math.Max(power / 4, 16);
        long rounded = ((long)count + step - 1) / step * step;
        return (int)Math.Min(rounded, int.MaxValue);
    }
}
