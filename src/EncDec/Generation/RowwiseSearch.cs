namespace EncDec.Generation;

/// <summary>
/// Searches that follow one hypothesis per row and pick its next token from that row alone (greedy search and
/// sampling): every row steps together, a row that emits the end token (or reaches the maximum length with
/// <see cref="SearchOptions.IgnoreEnd"/>) is finished and leaves the active batch through the state's reorder.
/// </summary>
internal abstract class RowwiseSearch
{
    /// <summary>Runs the search with <paramref name="copies"/> independent rows per sentence.</summary>
    /// <returns>One result per sentence, each with <paramref name="copies"/> hypotheses sorted best first.</returns>
    internal SearchResult[] Run(DecodingSession session, int copies)
    {
        int rows = session.Sentences * copies;
        var identity = new int[rows];   // (sentence · copies + copy): a row's identity, stable while rows leave
        for (int r = 0; r < rows; r++) identity[r] = r;
        if (copies > 1) session.Reorder(identity.Select(r => r / copies).ToArray());
        var nodes = new HypothesisNode?[rows];
        var scores = new float[rows];
        var coverage = new float[]?[rows];
        var tokens = Enumerable.Repeat(session.Ids.Start, rows).ToArray();
        var finished = Enumerable.Range(0, session.Sentences).Select(_ => new List<Hypothesis>()).ToArray();
        Begin(session, rows);
        while (identity.Length > 0)
        {
            var sentenceOf = identity.Select(id => id / copies).ToArray();
            session.Step(tokens, sentenceOf, nodes);
            var keep = new List<int>(identity.Length);
            for (int r = 0; r < identity.Length; r++)
            {
                int sentence = sentenceOf[r];
                int token = Choose(session, r, identity[r]);
                nodes[r] = session.Extend(nodes[r], token, r, sentence);
                scores[r] += nodes[r]!.LogProb;
                coverage[r] = session.AccumulateCoverage(coverage[r], r);
                bool ended = token == session.EndId;
                if (ended || (session.Options.IgnoreEnd && nodes[r]!.Length >= session.MaxLengths[sentence]))
                    finished[sentence].Add(session.Finish(nodes[r]!, ended, scores[r], coverage[r], sentence));
                else
                    keep.Add(r);
            }
            session.Reorder(keep.ToArray());
            identity = keep.Select(r => identity[r]).ToArray();
            tokens = keep.Select(r => nodes[r]!.Token).ToArray();
            nodes = keep.Select(r => nodes[r]).ToArray();
            scores = keep.Select(r => scores[r]).ToArray();
            coverage = keep.Select(r => coverage[r]).ToArray();
        }
        return finished.Select(list => new SearchResult(
            list.OrderByDescending(h => h.NormalisedScore).ToArray())).ToArray();
    }

    /// <summary>The next token of row <paramref name="row"/>; by default <see cref="Choose(ReadOnlySpan{float}, int)"/> on
    /// its log-probabilities.</summary>
    protected virtual int Choose(DecodingSession session, int row, int identity) => Choose(session.LogProbs(row), identity);

    /// <summary>Called once before the first step with the number of rows.</summary>
    protected virtual void Begin(DecodingSession session, int rows) { }

    /// <summary>The next token of the row whose identity (sentence · copies + copy) is <paramref name="identity"/>.</summary>
    /// <param name="logProbs">(vocab) the row's constrained log-probabilities; masked tokens are -∞.</param>
    /// <param name="identity">Stable across steps, so per-row state (a random stream) can follow the row.</param>
    protected abstract int Choose(ReadOnlySpan<float> logProbs, int identity);

    /// <summary>Thrown when constraints leave a row no token at all.</summary>
    protected static InvalidOperationException NothingAllowed() =>
        new("SequenceGenerator: the constraints (suppressed sequences, n-gram blocking, prefix) mask every token of a hypothesis");
}
