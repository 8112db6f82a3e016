namespace EncDec.Text;

/// <summary>One line of a BPE merge list: <see cref="Left"/> and <see cref="Right"/> join into one token.</summary>
/// <param name="Left">The left token.</param>
/// <param name="Right">The right token.</param>
/// <param name="Location">Where the rule is written (e.g. <c>model.merges[17]</c>, <c>line 18</c>), for errors.</param>
internal readonly record struct BpeMergeRule(string Left, string Right, string Location);

/// <summary>
/// The merge table of a BPE model, by rank (the rule's place in the list: lower merges first), and the merge loop of
/// Hugging Face tokenizers (<c>models/bpe/word.rs</c>, <c>Word::merge_all</c>): a heap of adjacent pairs ordered by
/// rank and then position; the best pair is merged, and the pairs it forms with its neighbours join the heap.
/// </summary>
internal sealed class BpeMerges
{
    // (left id << 32 | right id) -> (rank, id of the joined token)
    private readonly Dictionary<long, (int Rank, int NewId)> merges;

    /// <exception cref="InvalidDataException">A rule names a token, or makes a token, that is not in the vocabulary.</exception>
    public BpeMerges(IReadOnlyDictionary<string, int> vocabulary, IReadOnlyList<BpeMergeRule> rules, string source)
    {
        merges = new Dictionary<long, (int, int)>(rules.Count);
        for (int rank = 0; rank < rules.Count; rank++)
        {
            var rule = rules[rank];
            int left = Lookup(vocabulary, rule.Left, rule, source);
            int right = Lookup(vocabulary, rule.Right, rule, source);
            int joined = Lookup(vocabulary, rule.Left + rule.Right, rule, source);
            // A repeated rule takes its later rank, as HF's HashMap collect does.
            merges[Key(left, right)] = (rank, joined);
        }
    }

    /// <summary>The number of distinct merge rules.</summary>
    public int Count => merges.Count;

    /// <summary>Applies the merges to a word given as the ids of its symbols (bytes, for byte-level BPE).</summary>
    public int[] Apply(ReadOnlySpan<int> symbols)
    {
        int n = symbols.Length;
        if (n < 2) return symbols.ToArray();
        int[] ids = symbols.ToArray();
        int[] previous = new int[n], next = new int[n];
        bool[] removed = new bool[n];
        for (int i = 0; i < n; i++) (previous[i], next[i]) = (i - 1, i + 1 < n ? i + 1 : -1);

        var queue = new PriorityQueue<(int Position, int NewId), (int Rank, int Position)>(n);
        for (int i = 0; i + 1 < n; i++) Enqueue(queue, ids[i], ids[i + 1], i);

        while (queue.TryDequeue(out var top, out _))
        {
            int position = top.Position;
            if (removed[position] || next[position] < 0) continue;
            int right = next[position];
            // A stale entry: one of the two symbols has changed since the pair was queued.
            if (!merges.TryGetValue(Key(ids[position], ids[right]), out var merge) || merge.NewId != top.NewId) continue;

            ids[position] = merge.NewId;
            removed[right] = true;
            next[position] = next[right];
            if (next[right] >= 0) previous[next[right]] = position;
            if (previous[position] >= 0) Enqueue(queue, ids[previous[position]], ids[position], previous[position]);
            if (next[position] >= 0) Enqueue(queue, ids[position], ids[next[position]], position);
        }

        var result = new List<int>(n);
        for (int i = 0; i < n; i++)
            if (!removed[i]) result.Add(ids[i]);
        return [.. result];
    }

    private void Enqueue(PriorityQueue<(int, int), (int, int)> queue, int left, int right, int position)
    {
        if (merges.TryGetValue(Key(left, right), out var merge)) queue.Enqueue((position, merge.NewId), (merge.Rank, position));
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private static int Lookup(IReadOnlyDictionary<string, int> vocabulary, string token, BpeMergeRule rule, string source) =>
        vocabulary.TryGetValue(token, out int id)
            ? id
            : throw new InvalidDataException(
                $"'{source}': merge \"{rule.Left} {rule.Right}\" ({rule.Location}) needs token \"{token}\", which is not in the vocabulary");
}
