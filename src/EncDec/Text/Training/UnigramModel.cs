namespace EncDec.Text.Training;

/// <summary>
/// The unigram model during training (SentencePiece's <c>unigram::TrainerModel</c>): pieces with their log
/// probabilities, and a trie over code points to find every piece that starts at a position.
/// </summary>
internal sealed class UnigramModel
{
    private const int CodePointBits = 21;

    private readonly Dictionary<long, int> transitions = [];    // (node << 21 | code point) -> child node
    private readonly List<int> pieceAt = [-1];                  // node -> piece id, or -1

    /// <summary>A model over <paramref name="pieces"/>; a piece's id is its index.</summary>
    public UnigramModel(List<(int[] Piece, float Score)> pieces)
    {
        Pieces = pieces;
        MinScore = float.MaxValue;
        for (int id = 0; id < pieces.Count; id++)
        {
            MinScore = Math.Min(MinScore, pieces[id].Score);
            int node = 0;
            foreach (int c in pieces[id].Piece)
            {
                long key = ((long)node << CodePointBits) | (uint)c;
                if (!transitions.TryGetValue(key, out int child))
                {
                    child = pieceAt.Count;
                    pieceAt.Add(-1);
                    transitions.Add(key, child);
                }
                node = child;
            }
            pieceAt[node] = id;
        }
    }

    /// <summary>The pieces and their scores; a piece's id is its index.</summary>
    public List<(int[] Piece, float Score)> Pieces { get; }

    /// <summary>The lowest piece score, from which the unknown piece's score is derived.</summary>
    public float MinScore { get; }

    /// <summary>Adds (length, id) for every piece that <paramref name="text"/> starts with, shortest first.</summary>
    public void PrefixMatches(ReadOnlySpan<int> text, List<(int Length, int Id)> matches)
    {
        matches.Clear();
        int node = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (!transitions.TryGetValue(((long)node << CodePointBits) | (uint)text[i], out node)) return;
            if (pieceAt[node] >= 0) matches.Add((i + 1, pieceAt[node]));
        }
    }
}
