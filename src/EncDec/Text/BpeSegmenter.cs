using System.Runtime.InteropServices;
using System.Text;

namespace EncDec.Text;

/// <summary>
/// BPE segmentation as SentencePiece's <c>bpe::Model::Encode</c>: the text starts as characters (a user-defined
/// symbol is one frozen symbol), and the adjacent pair whose concatenation is the highest-scoring piece is merged
/// until no pair forms a piece; on equal scores the leftmost pair goes first.
/// </summary>
/// <remarks>
/// A merge may produce an unused piece (one the trainer kept but never emits); such a piece is split again into
/// the two symbols it was merged from, recursively, as SentencePiece's <c>resegment</c> does.
/// </remarks>
internal sealed class BpeSegmenter(SentencePieceVocabulary vocabulary) : ISegmenter
{
    private readonly record struct Pair(int Left, int Right, float Score, int Size);

    // std::priority_queue pops the largest by SymbolPairComparator: higher score, then smaller left index.
    private sealed class PairOrder : IComparer<Pair>
    {
        public static readonly PairOrder Instance = new();

        public int Compare(Pair x, Pair y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Left.CompareTo(y.Left);
    }

    private struct Symbol
    {
        public int Prev, Next, Start, Length;
        public bool Frozen;
    }

    /// <inheritdoc/>
    public List<Segment> Split(ReadOnlySpan<byte> normalized)
    {
        var output = new List<Segment>();
        if (normalized.IsEmpty) return output;

        var symbols = new List<Symbol>();
        for (int start = 0; start < normalized.Length;)
        {
            int length = vocabulary.MatchUserDefined(normalized[start..], out bool frozen);
            int index = symbols.Count;
            symbols.Add(new Symbol
            {
                Prev = index - 1, Start = start, Length = length, Frozen = frozen,
                Next = start + length < normalized.Length ? index + 1 : -1,
            });
            start += length;
        }
        var merges = new Merges(vocabulary, symbols);
        for (int i = 1; i < symbols.Count; i++) merges.MaybeAdd(normalized, i - 1, i);

        var sym = CollectionsMarshal.AsSpan(symbols);
        while (merges.Agenda.TryDequeue(out var top, out _))
        {
            ref var left = ref sym[top.Left];
            ref var right = ref sym[top.Right];
            // A pair whose symbols have changed since it was queued is stale.
            if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != top.Size) continue;
            left.Length += right.Length;
            left.Next = right.Next;
            if (right.Next >= 0) sym[right.Next].Prev = top.Left;
            right.Length = 0;
            merges.MaybeAdd(normalized, left.Prev, top.Left);
            merges.MaybeAdd(normalized, top.Left, left.Next);
        }

        for (int index = 0; index != -1; index = sym[index].Next)
            merges.Resegment(normalized, sym[index].Start, sym[index].Length, output);
        return output;
    }

    /// <summary>The queue of candidate merges and the record of merges into unused pieces.</summary>
    private sealed class Merges(SentencePieceVocabulary vocabulary, List<Symbol> symbols)
    {
        // Unused merged piece -> byte lengths of its left and right parts.
        private readonly Dictionary<string, (int Left, int Right)> reverse = new(StringComparer.Ordinal);

        public PriorityQueue<Pair, Pair> Agenda { get; } = new(PairOrder.Instance);

        public void MaybeAdd(ReadOnlySpan<byte> text, int left, int right)
        {
            if (left == -1 || right == -1 || symbols[left].Frozen || symbols[right].Frozen) return;
            int size = symbols[left].Length + symbols[right].Length;
            var piece = text.Slice(symbols[left].Start, size);
            int id = vocabulary.Segmentable.Find(piece);
            if (id < 0) return;
            var pair = new Pair(left, right, vocabulary[id].Score, size);
            Agenda.Enqueue(pair, pair);
            if (vocabulary.Type(id) == SentencePieceType.Unused)
                reverse[Encoding.UTF8.GetString(piece)] = (symbols[left].Length, symbols[right].Length);
        }

        public void Resegment(ReadOnlySpan<byte> text, int start, int length, List<Segment> output)
        {
            var piece = text.Slice(start, length);
            int id = vocabulary.PieceToId(piece);
            if (vocabulary.Type(id) != SentencePieceType.Unused
                || !reverse.TryGetValue(Encoding.UTF8.GetString(piece), out var parts))
            {
                output.Add(new Segment(start, length, id));
                return;
            }
            Resegment(text, start, parts.Left, output);
            Resegment(text, start + parts.Left, parts.Right, output);
        }
    }
}
