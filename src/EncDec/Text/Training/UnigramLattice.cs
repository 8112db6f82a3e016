namespace EncDec.Text.Training;

/// <summary>
/// The lattice of every way to split one word into pieces (SentencePiece's <c>Lattice</c>, filled by
/// <c>unigram::Model::PopulateNodes</c>): the Viterbi split, the two best splits, and each piece's expected count
/// by forward-backward. Reused word after word; one per thread.
/// </summary>
/// <remarks>
/// <para>A character that no single-character piece covers gets an unknown node of score <c>min_score - 10</c>.
/// Its id is 0, not -1: the trainer's model leaves <c>unk_id_</c> at <c>ModelInterface</c>'s default, so
/// SentencePiece credits unknown characters to piece 0, and so does this port.</para>
/// <para>Arithmetic follows SentencePiece's: float scores and sums, <c>LogSumExp</c> in double with a cut-off of
/// 50, and ties going to the node inserted first (the longer piece ending at a position).</para>
/// </remarks>
internal sealed class UnigramLattice
{
    private const float UnknownPenalty = 10f;
    private const int UnknownId = 0;

    private readonly List<(int Length, int Id)> matches = [];
    private int[] begins = new int[64], ends = new int[64], ids = new int[64];
    private float[] scores = new float[64];
    private int count;
    private int length;
    private int[] beginStart = [], endStart = [], endOrder = [];

    /// <summary>Fills the lattice with every piece of <paramref name="model"/> found in <paramref name="text"/>.</summary>
    public void Populate(ReadOnlySpan<int> text, UnigramModel model)
    {
        count = 0;
        length = text.Length;
        float unknownScore = model.MinScore - UnknownPenalty;
        EnsureSize(ref beginStart, length + 2);
        for (int begin = 0; begin < length; begin++)
        {
            beginStart[begin] = count;
            model.PrefixMatches(text[begin..], matches);
            bool hasSingle = false;
            foreach (var (pieceLength, id) in matches)
            {
                Add(begin, pieceLength, id, model.Pieces[id].Score);
                if (pieceLength == 1) hasSingle = true;
            }
            if (!hasSingle) Add(begin, 1, UnknownId, unknownScore);
        }
        beginStart[length] = count;
        IndexByEnd();
    }

    /// <summary>The piece ids of the best split (the Viterbi path), first to last.</summary>
    public void Viterbi(List<int> path)
    {
        var best = new float[count];                         // best[node]: score of the best path ending with node
        var previous = new int[count];
        for (int node = 0; node < count; node++)
            (best[node], previous[node]) = BestBefore(begins[node], scores[node], best);
        var (_, last) = BestBefore(length, 0f, best);
        path.Clear();
        for (int node = last; node >= 0; node = previous[node]) path.Add(ids[node]);
        path.Reverse();
    }

    /// <summary>The ids of the best and the second-best split; false (and <paramref name="second"/> empty) when
    /// there is only one split.</summary>
    public bool TwoBest(List<int> first, List<int> second)
    {
        // best[2 * node + r]: the r-th best score of a path ending with node; from[...]: its (node, rank) before.
        var best = new float[2 * count];
        var from = new (int Node, int Rank)[2 * count];
        var found = new int[count];
        for (int node = 0; node < count; node++)
            found[node] = TopTwo(begins[node], scores[node], best, from, found, best.AsSpan(2 * node, 2), from.AsSpan(2 * node, 2));
        Span<float> finalBest = stackalloc float[2];
        var finalFrom = new (int Node, int Rank)[2];
        int finals = TopTwo(length, 0f, best, from, found, finalBest, finalFrom);
        Trace(finalFrom[0], from, first);
        second.Clear();
        if (finals < 2) return false;
        Trace(finalFrom[1], from, second);
        return true;
    }

    /// <summary>
    /// Adds <paramref name="frequency"/> times each node's posterior probability to <paramref name="expected"/>
    /// (forward-backward, <c>Lattice::PopulateMarginal</c>), as (piece id, amount) pairs.
    /// </summary>
    public void Marginals(float frequency, List<(int Id, double Amount)> expected)
    {
        var alpha = new float[length + 1];                  // alpha[p]: log-sum of the paths ending at p
        var beta = new float[length + 1];                   // beta[p]: log-sum of the paths starting at p
        for (int p = 1; p <= length; p++)
        {
            for (int k = endStart[p]; k < endStart[p + 1]; k++)
            {
                int node = endOrder[k];
                alpha[p] = LogSumExp(alpha[p], scores[node] + alpha[begins[node]], k == endStart[p]);
            }
        }
        for (int p = length - 1; p >= 0; p--)
        {
            for (int node = beginStart[p]; node < beginStart[p + 1]; node++)
                beta[p] = LogSumExp(beta[p], scores[node] + beta[ends[node]], node == beginStart[p]);
        }
        float z = alpha[length];
        for (int node = 0; node < count; node++)
        {
            float logPosterior = alpha[begins[node]] + scores[node] + beta[ends[node]] - z;
            expected.Add((ids[node], frequency * Math.Exp(logPosterior)));
        }
    }

    // The best (score + add, node) over the nodes ending at `position`, the first one on ties; the start of the
    // word counts as one node of score 0, numbered -1.
    private (float Score, int Node) BestBefore(int position, float add, float[] best)
    {
        if (position == 0) return (add, -1);
        float bestScore = 0;
        int bestNode = -1;
        for (int k = endStart[position]; k < endStart[position + 1]; k++)
        {
            int node = endOrder[k];
            float score = best[node] + add;
            if (bestNode < 0 || score > bestScore) (bestScore, bestNode) = (score, node);
        }
        return (bestScore, bestNode);
    }

    // The two best (score + add) over the ranked paths ending at `position`; returns how many there are (1 or 2).
    private int TopTwo(int position, float add, float[] best, (int Node, int Rank)[] from, int[] found,
        Span<float> topScore, Span<(int Node, int Rank)> topFrom)
    {
        if (position == 0)
        {
            (topScore[0], topFrom[0]) = (add, (-1, 0));
            return 1;
        }
        int n = 0;
        for (int k = endStart[position]; k < endStart[position + 1]; k++)
        {
            int node = endOrder[k];
            for (int rank = 0; rank < found[node]; rank++)
            {
                float score = best[2 * node + rank] + add;
                if (n == 0 || score > topScore[0])
                {
                    (topScore[1], topFrom[1]) = (topScore[0], topFrom[0]);
                    (topScore[0], topFrom[0]) = (score, (node, rank));
                    n = Math.Min(n + 1, 2);
                }
                else if (n == 1 || score > topScore[1])
                {
                    (topScore[1], topFrom[1]) = (score, (node, rank));
                    n = 2;
                }
            }
        }
        return n;
    }

    private void Trace((int Node, int Rank) at, (int Node, int Rank)[] from, List<int> path)
    {
        path.Clear();
        while (at.Node >= 0)
        {
            path.Add(ids[at.Node]);
            at = from[2 * at.Node + at.Rank];
        }
        path.Reverse();
    }

    // LogSumExp of SentencePiece's lattice: the first term initialises; terms 50 apart leave the larger unchanged.
    private static float LogSumExp(float x, float y, bool first)
    {
        if (first) return y;
        float min = Math.Min(x, y), max = Math.Max(x, y);
        return max > min + 50 ? max : (float)(max + Math.Log(Math.Exp(min - max) + 1.0));
    }

    private void Add(int begin, int pieceLength, int id, float score)
    {
        if (count == begins.Length)
        {
            Array.Resize(ref begins, 2 * count);
            Array.Resize(ref ends, 2 * count);
            Array.Resize(ref ids, 2 * count);
            Array.Resize(ref scores, 2 * count);
        }
        (begins[count], ends[count], ids[count], scores[count]) = (begin, begin + pieceLength, id, score);
        count++;
    }

    // endOrder lists the nodes by end position, and within one end in insertion order (earlier begin first).
    private void IndexByEnd()
    {
        EnsureSize(ref endStart, length + 2);
        Array.Clear(endStart, 0, length + 2);
        for (int node = 0; node < count; node++) endStart[ends[node] + 1]++;
        for (int p = 0; p <= length; p++) endStart[p + 1] += endStart[p];
        EnsureSize(ref endOrder, count);
        var next = endStart.AsSpan(0, length + 2).ToArray();
        for (int node = 0; node < count; node++) endOrder[next[ends[node]]++] = node;
    }

    private static void EnsureSize(ref int[] array, int size)
    {
        if (array.Length < size) array = new int[Math.Max(size, 2 * array.Length)];
    }
}
