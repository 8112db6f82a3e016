namespace EncDec.Text.Training;

/// <summary>
/// Builds a Darts-clone double array (the trie format <see cref="DoubleArrayTrie"/> and SentencePiece's
/// <c>Darts::DoubleArray</c> read) from byte-string keys with values.
/// </summary>
/// <remarks>
/// <para>As Darts-clone does when keys carry values, the trie is first minimised into a DAWG (subtrees with the same
/// keys and values are stored once), which shrinks rules with many shared endings, such as the Hangul compositions
/// of NFKC, several times over. Each node then gets a base: its children sit at <c>base ^ label</c> and its value
/// at <c>base ^ 0</c>; bases are distinct, so a child slot is never reachable from another node.</para>
/// <para>The layout differs from Darts-clone's (it places blocks its own way) but any reader follows it identically.
/// Unused units get a label that no node of their 256-unit block can arrive with (Darts-clone's
/// <c>fix_block</c>), so a lookup of a byte that leads nowhere fails even for a NUL byte.</para>
/// </remarks>
internal static class DoubleArrayBuilder
{
    private const int BlockSize = 256;
    private const uint MaxOffset = 1u << 21;

    private sealed class Node
    {
        public int Value = -1;
        public byte[] Labels = [];
        public Node[] Children = [];
        public int Base = -1;
        public int Id;
    }

    /// <summary>The units of a trie holding <paramref name="keys"/>.</summary>
    /// <param name="keys">Distinct, non-empty keys without NUL bytes, with values in [0, 2^31).</param>
    /// <exception cref="ArgumentException">A key is empty, repeated or contains NUL, or a value is negative.</exception>
    public static uint[] Build(IEnumerable<(byte[] Key, int Value)> keys)
    {
        var sorted = keys.OrderBy(k => k.Key, ByteOrder.Instance).ToArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            var (key, value) = sorted[i];
            if (key.Length == 0 || key.AsSpan().Contains((byte)0))
                throw new ArgumentException($"key {i} is empty or contains a NUL byte", nameof(keys));
            if (value < 0) throw new ArgumentException($"key {i} has a negative value {value}", nameof(keys));
            if (i > 0 && sorted[i - 1].Key.AsSpan().SequenceEqual(key))
                throw new ArgumentException($"key {i} is repeated", nameof(keys));
        }
        var registry = new Dictionary<string, Node>(StringComparer.Ordinal);
        var root = BuildNode(sorted, 0, sorted.Length, 0, registry);
        return Place(root);
    }

    // The minimal node for keys[lo..hi), all sharing their first `depth` bytes; equal subtrees are shared through
    // `registry`, keyed by a node's value and its (label, child) list.
    private static Node BuildNode((byte[] Key, int Value)[] keys, int lo, int hi, int depth, Dictionary<string, Node> registry)
    {
        var node = new Node();
        if (lo < hi && keys[lo].Key.Length == depth) node.Value = keys[lo++].Value;
        var labels = new List<byte>();
        var children = new List<Node>();
        while (lo < hi)
        {
            byte label = keys[lo].Key[depth];
            int end = lo;
            while (end < hi && keys[end].Key[depth] == label) end++;
            labels.Add(label);
            children.Add(BuildNode(keys, lo, end, depth + 1, registry));
            lo = end;
        }
        node.Labels = [.. labels];
        node.Children = [.. children];
        string signature = $"{node.Value}:{string.Join(',', labels.Zip(children, (l, c) => $"{l}>{c.Id}"))}";
        if (registry.TryGetValue(signature, out var existing)) return existing;
        node.Id = registry.Count;
        registry.Add(signature, node);
        return node;
    }

    private static uint[] Place(Node root)
    {
        var units = new UnitAllocator();
        units.Use(0);                                           // the root's own unit
        var bases = new HashSet<int>();
        var order = new List<Node>();
        var queue = new Queue<Node>();
        queue.Enqueue(root);
        while (queue.TryDequeue(out var node))
        {
            if (node.Base >= 0) continue;
            node.Base = FindBase(node, units, bases);
            order.Add(node);
            foreach (var child in node.Children) if (child.Base < 0) queue.Enqueue(child);
        }

        var array = new uint[units.Size];
        array[0] = DoubleArrayTrie.NodeUnit(0, Offset(0, root.Base), hasLeaf: false);
        foreach (var node in order)
        {
            if (node.Value >= 0) array[node.Base] = DoubleArrayTrie.ValueUnit(node.Value);
            for (int i = 0; i < node.Labels.Length; i++)
            {
                int at = node.Base ^ node.Labels[i];
                var child = node.Children[i];
                array[at] = DoubleArrayTrie.NodeUnit(node.Labels[i], Offset(at, child.Base), child.Value >= 0);
            }
        }
        FixUnusedUnits(array, units, bases);
        return array;
    }

    // The first base, trying the free units in order, whose slots (children, and 0 for a value) are all free.
    private static int FindBase(Node node, UnitAllocator units, HashSet<int> bases)
    {
        byte[] slots = node.Value >= 0 ? [0, .. node.Labels] : node.Labels;
        if (slots.Length == 0) throw new InvalidOperationException("a trie node with neither value nor children");
        for (int position = units.FirstFree; ; position = units.NextFree(position))
        {
            int candidate = position ^ slots[0];
            if (bases.Contains(candidate)) continue;
            bool fits = true;
            for (int i = 1; i < slots.Length && fits; i++) fits = units.IsFree(candidate ^ slots[i]);
            if (!fits) continue;
            foreach (byte slot in slots) units.Use(candidate ^ slot);
            bases.Add(candidate);
            return candidate;
        }
    }

    private static uint Offset(int position, int childBase)
    {
        uint offset = (uint)(position ^ childBase);
        if (offset >= MaxOffset) throw new InvalidOperationException($"the trie is too large: offset {offset} does not fit 21 bits");
        return offset;
    }

    private static void FixUnusedUnits(uint[] array, UnitAllocator units, HashSet<int> bases)
    {
        var taken = new bool[array.Length];       // taken[block + low]: some base in the block ends in `low`
        foreach (int b in bases) taken[b] = true;
        for (int block = 0; block < array.Length; block += BlockSize)
        {
            int free = Array.IndexOf(taken, false, block, BlockSize) - block;
            if (free < 0) continue;     // every unit of the block is in use
            for (int i = block; i < block + BlockSize; i++)
                if (units.IsFree(i)) array[i] = (uint)((i ^ free) & 0xFF);
        }
    }

    /// <summary>Which units are taken, with the free ones linked in order so a search skips the taken ones.</summary>
    private sealed class UnitAllocator
    {
        private bool[] used = [];
        private int[] next = [], previous = [];
        private int head = -1, tail = -1;

        /// <summary>The units allocated so far, a whole number of blocks.</summary>
        public int Size { get; private set; }

        public int FirstFree => head >= 0 ? head : Grow();

        public int NextFree(int position) => next[position] >= 0 ? next[position] : Grow();

        public bool IsFree(int position) => position >= Size || !used[position];

        public void Use(int position)
        {
            while (position >= Size) Grow();
            if (used[position]) throw new InvalidOperationException($"unit {position} is already in use");
            used[position] = true;
            if (previous[position] >= 0) next[previous[position]] = next[position];
            else head = next[position];
            if (next[position] >= 0) previous[next[position]] = previous[position];
            else tail = previous[position];
        }

        // Adds a block of free units; returns the first of them.
        private int Grow()
        {
            int start = Size;
            Size += BlockSize;
            Array.Resize(ref used, Size);
            Array.Resize(ref next, Size);
            Array.Resize(ref previous, Size);
            for (int p = start; p < Size; p++)
            {
                previous[p] = tail;
                next[p] = -1;
                if (tail >= 0) next[tail] = p;
                else head = p;
                tail = p;
            }
            return start;
        }
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
