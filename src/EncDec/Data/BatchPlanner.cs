using EncDec.Tensors;

namespace EncDec.Data;

/// <summary>
/// The arithmetic of token-based batching, as Marian's and fairseq's batch generators do it: sort a pool by length so
/// that sentences of similar length share a batch (little padding), cut it greedily under a padded-token budget, and
/// shuffle the order of the batches.
/// </summary>
internal static class BatchPlanner
{
    /// <summary>The generator for one pool of one epoch: a SplitMix64 chain over (seed, epoch, pool), so that every
    /// pool's randomness is fixed by those three numbers alone, whatever was skipped before it.</summary>
    public static RandomGenerator PoolGenerator(ulong seed, int epoch, long pool)
    {
        ulong state = seed;
        state = RandomGenerator.SplitMix64(ref state) ^ (ulong)epoch;
        state = RandomGenerator.SplitMix64(ref state) ^ (ulong)pool;
        return new RandomGenerator(RandomGenerator.SplitMix64(ref state));
    }

    /// <summary>Sorts <paramref name="pool"/> in place by (target length, source length), ties broken by a random key
    /// from <paramref name="random"/>, or by pool order when it is null.</summary>
    public static void SortByLength(List<TokenizedPair> pool, RandomGenerator? random)
    {
        var keys = new SortKey[pool.Count];
        for (int i = 0; i < keys.Length; i++)
            keys[i] = new SortKey(pool[i].TargetLength, pool[i].SourceLength, random?.NextUInt64() ?? (ulong)i);
        var items = pool.ToArray();
        Array.Sort(keys, items);
        pool.Clear();
        pool.AddRange(items);
    }

    /// <summary>
    /// Cuts <paramref name="pool"/> (in its order) into consecutive batches: a batch grows while
    /// max(longest source row, longest target row) × sentences stays within <paramref name="maxTokens"/> and the
    /// sentences within <paramref name="maxSentences"/>. A pair that alone exceeds <paramref name="maxTokens"/> gets a
    /// batch of its own rather than being dropped (the length filter decides what is too long, not the budget).
    /// </summary>
    /// <returns>(start, count) of each batch in <paramref name="pool"/>.</returns>
    public static List<(int Start, int Count)> Cut(IReadOnlyList<TokenizedPair> pool, int maxTokens, int maxSentences)
    {
        var batches = new List<(int Start, int Count)>();
        int start = 0, longest = 0;
        for (int i = 0; i < pool.Count; i++)
        {
            int grown = Math.Max(longest, Math.Max(pool[i].SourceLength, pool[i].TargetLength));
            int count = i - start + 1;
            if (count > 1 && ((long)grown * count > maxTokens || count > maxSentences))
            {
                batches.Add((start, i - start));
                start = i;
                grown = Math.Max(pool[i].SourceLength, pool[i].TargetLength);
            }
            longest = grown;
        }
        if (start < pool.Count) batches.Add((start, pool.Count - start));
        return batches;
    }

    /// <summary>Fisher–Yates shuffle of <paramref name="items"/> in place.</summary>
    public static void Shuffle<T>(IList<T> items, RandomGenerator random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private readonly record struct SortKey(int Target, int Source, ulong Tie) : IComparable<SortKey>
    {
        public int CompareTo(SortKey other)
        {
            int byTarget = Target.CompareTo(other.Target);
            if (byTarget != 0) return byTarget;
            int bySource = Source.CompareTo(other.Source);
            return bySource != 0 ? bySource : Tie.CompareTo(other.Tie);
        }
    }
}
