namespace EncDec.Text;

/// <summary>
/// A byte trie from vocabulary pieces (UTF-8) to ids, answering "which pieces start here", as SentencePiece's
/// double array over the vocabulary does (<c>commonPrefixSearch</c>, or <c>traverse</c> one byte at a time).
/// </summary>
/// <remarks>
/// <para>It is a double array, the form SentencePiece uses, because segmentation steps through it once per byte
/// and piece start, which makes it the encoder's hot loop: the child of node <c>s</c> by byte <c>c</c> is unit
/// <c>Base(s) + c</c> when that unit's <c>Check</c> is <c>s</c>, one array read per byte.</para>
/// <para>It is built at load time and need not share SentencePiece's layout: nodes are placed depth first, each
/// node's children at the first base where all their cells are free.</para>
/// <para>Cells 1 to 255 stay unused and the root (cell 0) has no parent, so a lookup from a leaf (base 0) never
/// finds a child: no cell's <c>Check</c> names the leaf.</para>
/// </remarks>
internal sealed class PieceTrie
{
    private struct Unit
    {
        public int Base;    // children are at Base + byte
        public int Check;   // the parent's index; -1 for a free cell (and for the root)
        public int Id;      // the id of the key ending here, or -1
    }

    private readonly Unit[] units;

    /// <summary>A trie holding <paramref name="pieces"/> (UTF-8 key, id); keys must be distinct and non-empty.</summary>
    public PieceTrie(IEnumerable<(byte[] Key, int Id)> pieces)
    {
        var builder = new Builder(pieces);
        IsEmpty = builder.KeyCount == 0;
        units = builder.Units;
    }

    /// <summary>Whether the trie holds no key.</summary>
    public bool IsEmpty { get; }

    /// <summary>The node of the empty prefix, where every walk starts.</summary>
    public const int Root = 0;

    /// <summary>
    /// Follows the edge labelled <paramref name="label"/> from <paramref name="node"/> (Darts' <c>traverse</c> over one
    /// byte); false, leaving <paramref name="node"/> unchanged, when there is none.
    /// </summary>
    public bool TryStep(ref int node, byte label)
    {
        var all = units;
        int child = all[node].Base + label;
        if ((uint)child >= (uint)all.Length || all[child].Check != node) return false;
        node = child;
        return true;
    }

    /// <summary>The id of the key that ends at <paramref name="node"/>, or -1 when none does.</summary>
    public int IdAt(int node) => units[node].Id;

    /// <summary>The length of the longest key that is a prefix of <paramref name="text"/>, or 0.</summary>
    public int LongestPrefixLength(ReadOnlySpan<byte> text)
    {
        int node = Root, longest = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (!TryStep(ref node, text[i])) break;
            if (units[node].Id >= 0) longest = i + 1;
        }
        return longest;
    }

    /// <summary>The id of <paramref name="key"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        int node = Root;
        foreach (byte b in key)
            if (!TryStep(ref node, b)) return -1;
        return units[node].Id;
    }

    /// <summary>
    /// Places nodes depth first, grouping the keys below a node by their next byte as it goes (a radix sort that
    /// needs no comparisons). The free cells form a doubly linked list in index order, so the search for a base
    /// visits free cells only, not the long runs of used ones; cells below 256 are left unused, so every free cell
    /// is a valid position for any byte.
    /// </summary>
    private sealed class Builder
    {
        private const int FirstCell = 256;
        private readonly byte[][] keys;
        private readonly int[] ids;
        private readonly int[] order, temp;           // key indices, grouped in place
        private readonly List<int[]> groupEnds = [];  // per depth: where each byte's group ends
        private readonly List<byte[]> groupLabels = [];
        private int[] next = [], prev = [];           // the free-cell list; -1 ends it
        private int head = -1, tail = -1;

        public Builder(IEnumerable<(byte[] Key, int Id)> pieces)
        {
            var list = pieces as IReadOnlyCollection<(byte[] Key, int Id)> ?? [.. pieces];
            keys = new byte[list.Count][];
            ids = new int[list.Count];
            int n = 0;
            foreach (var (key, id) in list)
            {
                keys[n] = key;
                ids[n++] = id;
            }
            order = new int[n];
            temp = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Units = [];
            Grow(FirstCell + Math.Max(256, n * 4));
            Place(Root, 0, n, 0);
        }

        public int KeyCount => keys.Length;

        public Unit[] Units { get; private set; }

        // Keys order[lo..hi) share their first `depth` bytes, the path to `node`; places node's children and recurses.
        private void Place(int node, int lo, int hi, int depth)
        {
            for (int i = lo; i < hi; i++)
            {
                if (keys[order[i]].Length != depth) continue;
                Units[node].Id = ids[order[i]];        // keys are distinct: at most one ends here
                (order[i], order[lo]) = (order[lo], order[i]);
                lo++;
                break;
            }
            if (hi - lo == 1)
            {
                PlaceChain(node, order[lo], depth);
                return;
            }
            if (lo == hi) return;

            if (groupEnds.Count == depth)
            {
                groupEnds.Add(new int[256]);
                groupLabels.Add(new byte[256]);
            }
            int[] ends = groupEnds[depth];
            byte[] labels = groupLabels[depth];
            int first = 255, last = 0;     // the range of next bytes, so that a node pays for its own labels only
            for (int i = lo; i < hi; i++)
            {
                int label = keys[order[i]][depth];
                first = Math.Min(first, label);
                last = Math.Max(last, label);
            }
            Array.Clear(ends, first, last - first + 1);
            for (int i = lo; i < hi; i++) ends[keys[order[i]][depth]]++;
            int count = 0;
            for (int label = first, at = lo; label <= last; label++)
            {
                if (ends[label] == 0) continue;
                labels[count++] = (byte)label;
                (ends[label], at) = (at, at + ends[label]);   // ends[label] holds the group's start for now
            }
            for (int i = lo; i < hi; i++) temp[ends[keys[order[i]][depth]]++] = order[i];
            temp.AsSpan(lo, hi - lo).CopyTo(order.AsSpan(lo));

            int @base = FindBase(labels.AsSpan(0, count));
            Units[node].Base = @base;
            for (int i = 0; i < count; i++) Occupy(@base + labels[i], node);
            for (int i = 0, start = lo; i < count; start = ends[labels[i]], i++)
                Place(@base + labels[i], start, ends[labels[i]], depth + 1);
        }

        // The rest of a key no other key shares: one child per byte.
        private void PlaceChain(int node, int key, int depth)
        {
            byte[] bytes = keys[key];
            for (; depth < bytes.Length; depth++)
            {
                int @base = FindBase(bytes.AsSpan(depth, 1));
                Units[node].Base = @base;
                Occupy(@base + bytes[depth], node);
                node = @base + bytes[depth];
            }
            Units[node].Id = ids[key];
        }

        // The first base at which every child cell is free.
        private int FindBase(ReadOnlySpan<byte> labels)
        {
            for (int cell = head; ; cell = next[cell])
            {
                if (cell == -1)
                {
                    cell = Units.Length;
                    Grow(Units.Length * 2);
                }
                int @base = cell - labels[0];
                if (@base + labels[^1] >= Units.Length) Grow(Math.Max(Units.Length * 2, @base + 256));
                bool free = true;
                for (int i = 1; i < labels.Length && free; i++) free = Units[@base + labels[i]].Check == -1;
                if (free) return @base;
            }
        }

        private void Occupy(int cell, int parent)
        {
            Units[cell].Check = parent;
            int before = prev[cell], after = next[cell];
            if (before == -1) head = after;
            else next[before] = after;
            if (after == -1) tail = before;
            else prev[after] = before;
        }

        // Adds cells up to `count`, those from FirstCell on linked as free after the current last free cell.
        private void Grow(int count)
        {
            int old = Units.Length;
            var grown = new Unit[count];
            Units.CopyTo(grown, 0);
            grown.AsSpan(old).Fill(new Unit { Base = 0, Check = -1, Id = -1 });
            Units = grown;
            Array.Resize(ref next, count);
            Array.Resize(ref prev, count);
            int first = Math.Max(old, FirstCell);
            for (int i = first; i < count; i++)
            {
                prev[i] = i == first ? tail : i - 1;
                next[i] = i + 1 < count ? i + 1 : -1;
            }
            if (tail == -1) head = first;
            else next[tail] = first;
            tail = count - 1;
        }
    }
}
