namespace EncDec.Text;

/// <summary>
/// A byte trie from vocabulary pieces (UTF-8) to ids, answering "which pieces start here", as SentencePiece's
/// double array over the vocabulary does (<c>commonPrefixSearch</c>, or <c>traverse</c> one byte at a time).
/// </summary>
/// <remarks>
/// The vocabulary trie is built at load time, so it need not share SentencePiece's double-array layout; a hash
/// map of (node, byte) edges gives the same answers with a much simpler builder.
/// </remarks>
internal sealed class PieceTrie
{
    private readonly Dictionary<long, int> edges = [];
    private readonly List<int> values = [-1];

    /// <summary>A trie holding <paramref name="pieces"/> (UTF-8 key, id); keys must be distinct and non-empty.</summary>
    public PieceTrie(IEnumerable<(byte[] Key, int Id)> pieces)
    {
        foreach (var (key, id) in pieces) Add(key, id);
    }

    /// <summary>Whether the trie holds no key.</summary>
    public bool IsEmpty => values.Count == 1;

    /// <summary>The node of the empty prefix, where every walk starts.</summary>
    public const int Root = 0;

    /// <summary>
    /// Follows the edge labelled <paramref name="label"/> from <paramref name="node"/> (Darts' <c>traverse</c> over one
    /// byte); false, leaving <paramref name="node"/> unchanged, when there is none.
    /// </summary>
    public bool TryStep(ref int node, byte label)
    {
        if (!edges.TryGetValue(Edge(node, label), out int child)) return false;
        node = child;
        return true;
    }

    /// <summary>The id of the key that ends at <paramref name="node"/>, or -1 when none does.</summary>
    public int IdAt(int node) => values[node];

    /// <summary>The length of the longest key that is a prefix of <paramref name="text"/>, or 0.</summary>
    public int LongestPrefixLength(ReadOnlySpan<byte> text)
    {
        int node = 0, longest = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (!edges.TryGetValue(Edge(node, text[i]), out node)) break;
            if (values[node] >= 0) longest = i + 1;
        }
        return longest;
    }

    /// <summary>The id of <paramref name="key"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        int node = 0;
        foreach (byte b in key)
            if (!edges.TryGetValue(Edge(node, b), out node)) return -1;
        return values[node];
    }

    private void Add(byte[] key, int id)
    {
        int node = 0;
        foreach (byte b in key)
        {
            long edge = Edge(node, b);
            if (!edges.TryGetValue(edge, out int child))
            {
                child = values.Count;
                values.Add(-1);
                edges.Add(edge, child);
            }
            node = child;
        }
        values[node] = id;
    }

    private static long Edge(int node, byte label) => ((long)node << 8) | label;
}

