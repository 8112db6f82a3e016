namespace EncDec.Tensors;

/// <summary>
/// Reuses <see cref="TensorStorage"/> blocks between training or decoding steps. Requests are
/// rounded up to a size class (quarter steps between powers of two, so at most 25% is wasted);
/// a steady loop asks for the same classes every step and so allocates nothing after warm-up.
/// </summary>
public static class StoragePool
{
    private static readonly object s_gate = new();
    private static readonly Dictionary<int, Stack<TensorStorage>> s_free = new();
    private static long s_pooledFloats;

    /// <summary>Floats currently held idle in the pool.</summary>
    public static long PooledFloats { get { lock (s_gate) return s_pooledFloats; } }

    /// <summary>A storage of at least <paramref name="count"/> floats; its contents are undefined.</summary>
    public static TensorStorage Rent(int count)
    {
        int capacity = SizeClass(count);
        lock (s_gate)
        {
            if (s_free.TryGetValue(capacity, out var stack) && stack.Count > 0)
            {
                s_pooledFloats -= capacity;
                return stack.Pop();
            }
        }
        return new TensorStorage(capacity);
    }

    /// <summary>Gives <paramref name="storage"/> back for reuse; the caller must hold no other reference.</summary>
    public static void Return(TensorStorage storage)
    {
        lock (s_gate)
        {
            if (!s_free.TryGetValue(storage.Capacity, out var stack))
                s_free[storage.Capacity] = stack = new Stack<TensorStorage>();
            stack.Push(storage);
            s_pooledFloats += storage.Capacity;
        }
    }

    /// <summary>Drops every idle storage so the garbage collector can reclaim it.</summary>
    public static void Trim()
    {
        lock (s_gate)
        {
            s_free.Clear();
            s_pooledFloats = 0;
        }
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
