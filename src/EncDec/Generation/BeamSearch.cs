namespace EncDec.Generation;

/// <summary>
/// Batched beam search. Every active sentence owns <see cref="SearchOptions.BeamSize"/> consecutive rows of the
/// decoder state (beams fold into the batch dimension); at the start the one row per sentence is copied K times and
/// all copies but the first get score -∞, so the first step cannot pick the same token twice. Each step:
/// <list type="number">
/// <item>every row's constrained log-probabilities (<see cref="TokenRules"/>) are added to its hypothesis's score;</item>
/// <item>per sentence the 2K best (row, token) candidates are taken, best first (ties: smaller row, then smaller id);</item>
/// <item>an end-token candidate ranked within the first K is finished (fairseq's rule), and the first K other
/// candidates become the next beam (fewer when the constraints leave fewer; the rest are dead rows with score -∞);</item>
/// <item>a sentence with no live candidate, or satisfied by <see cref="SearchOptions.EarlyStopping"/>, leaves, and one
/// <see cref="Models.IDecoderState.Reorder"/> moves every surviving beam to its parent rows.</item>
/// </list>
/// Beams are ranked by raw summed log-probability; length and coverage penalties apply to finished hypotheses, of
/// which the best K are kept per sentence (fairseq, CTranslate2 and Hugging Face do the same).
/// </summary>
internal sealed class BeamSearch
{
    public SearchResult[] Run(DecodingSession session)
    {
        int k = session.Options.BeamSize;
        int rows = session.Sentences * k;
        session.Reorder(Enumerable.Range(0, rows).Select(r => r / k).ToArray());
        var beams = new Beams(
            Enumerable.Range(0, session.Sentences).ToArray(),   // active sentences, in row-block order
            new HypothesisNode?[rows],
            Enumerable.Range(0, rows).Select(r => r % k == 0 ? 0f : float.NegativeInfinity).ToArray(),
            new float[]?[rows],
            Enumerable.Repeat(session.Ids.Start, rows).ToArray());
        var finished = Enumerable.Range(0, session.Sentences).Select(_ => new List<Hypothesis>()).ToArray();
        var buffer = new Candidate[2 * k];
        session.CandidatesPerRow = Math.Min(2 * k, session.Vocabulary);   // a row has no more continuations than tokens
        while (beams.Sentences.Length > 0)
        {
            session.Step(beams.Tokens, beams.Sentences.SelectMany(s => Enumerable.Repeat(s, k)).ToArray(), beams.Nodes, beams.Scores);
            var next = new NextBeams(k);
            for (int i = 0; i < beams.Sentences.Length; i++)
                Advance(session, beams, i, finished[beams.Sentences[i]], buffer, next);
            session.Reorder(next.Parents.ToArray());
            beams = new Beams(next.Sentences.ToArray(), next.Nodes.ToArray(), next.Scores.ToArray(), next.Coverage.ToArray(), next.Tokens.ToArray());
        }
        return finished.Select(list => new SearchResult(list.Take(session.Options.NBest).ToArray())).ToArray();
    }

    /// <summary>One step for the sentence in block <paramref name="block"/>: finishes its end candidates, and unless it
    /// is done, appends its next K beams (live ones, then dead rows) to <paramref name="next"/>.</summary>
    private static void Advance(DecodingSession session, Beams beams, int block, List<Hypothesis> finished, Candidate[] buffer, NextBeams next)
    {
        int k = session.Options.BeamSize, s = beams.Sentences[block], firstRow = block * k;
        int count = TopCandidates(session, firstRow, k, buffer);
        var chosen = new List<Candidate>(k);
        for (int c = 0; c < count; c++)
        {
            var candidate = buffer[c];
            if (candidate.Token != session.EndId)
            {
                if (chosen.Count < k) chosen.Add(candidate);
            }
            else if (c < k)
            {
                var node = session.Extend(beams.Nodes[candidate.Row], candidate.Token, candidate.Row, s);
                var coverage = session.AccumulateCoverage(beams.Coverage[candidate.Row], candidate.Row);
                Keep(finished, k, session.Finish(node, ended: true, candidate.Score, coverage, s));
            }
        }
        var extended = chosen.Select(c => (c, Node: session.Extend(beams.Nodes[c.Row], c.Token, c.Row, s),
            Coverage: session.AccumulateCoverage(beams.Coverage[c.Row], c.Row))).ToList();
        int length = extended.Count > 0 ? extended[0].Node.Length : 0;
        if (session.Options.IgnoreEnd && length >= session.MaxLengths[s])
        {
            foreach (var (c, node, coverage) in extended) Keep(finished, k, session.Finish(node, ended: false, c.Score, coverage, s));
            extended.Clear();
        }
        if (extended.Count == 0 || IsDone(session, finished, extended.Select(e => (e.c.Score, e.Coverage)), length, s))
            return;
        next.Sentences.Add(s);
        for (int j = 0; j < k; j++)
        {
            bool live = j < extended.Count;
            next.Parents.Add(live ? extended[j].c.Row : firstRow);
            next.Nodes.Add(live ? extended[j].Node : null);
            next.Scores.Add(live ? extended[j].c.Score : float.NegativeInfinity);
            next.Coverage.Add(live ? extended[j].Coverage : null);
            next.Tokens.Add(live ? extended[j].c.Token : session.Ids.Start);
        }
    }

    /// <summary>The best ≤ 2K (row, token) continuations of the sentence whose rows start at <paramref name="firstRow"/>,
    /// best first, into <paramref name="buffer"/>, merged from the rows' own best (<see cref="DecodingSession.Candidates"/>):
    /// dead rows (score -∞) and masked tokens have none.</summary>
    private static int TopCandidates(DecodingSession session, int firstRow, int k, Candidate[] buffer)
    {
        int count = 0;
        for (int row = firstRow; row < firstRow + k; row++) RowCandidates.Merge(session.Candidates(row), buffer, ref count);
        return count;
    }

    /// <summary>Adds <paramref name="hypothesis"/> to the kept finished ones, best first, keeping at most <paramref name="k"/>.</summary>
    private static void Keep(List<Hypothesis> kept, int k, Hypothesis hypothesis)
    {
        int at = kept.FindIndex(h => h.NormalisedScore < hypothesis.NormalisedScore);
        kept.Insert(at < 0 ? kept.Count : at, hypothesis);
        if (kept.Count > k) kept.RemoveAt(kept.Count - 1);
    }

    /// <summary>Whether a sentence with live hypotheses of <paramref name="length"/> tokens may stop (see <see cref="EarlyStopping"/>).</summary>
    private static bool IsDone(DecodingSession session, List<Hypothesis> kept, IEnumerable<(float Score, float[]? Coverage)> live,
        int length, int sentence)
    {
        var options = session.Options;
        if (kept.Count < options.BeamSize) return false;
        float worst = kept[^1].NormalisedScore;
        switch (options.EarlyStopping)
        {
            case EarlyStopping.BeamFull:
                return true;
            case EarlyStopping.Heuristic:
                return live.All(h => session.Normalise(h.Score, length, h.Coverage, session.SourceLengths[sentence]) <= worst);
            default:
                // Scores only fall, so the best a continuation can reach is the current sum over the largest penalty.
                int longest = session.MaxLengths[sentence] + 1;
                float largest = Math.Max(session.LengthPenalty(length + 1), session.LengthPenalty(longest));
                return live.All(h => (h.Score >= 0 ? h.Score : h.Score / largest) <= worst);
        }
    }

    /// <summary>The rows of the current step: per row its hypothesis, score, coverage and last token.</summary>
    private sealed record Beams(int[] Sentences, HypothesisNode?[] Nodes, float[] Scores, float[]?[] Coverage, int[] Tokens);

    /// <summary>The beams of the next step, gathered sentence by sentence.</summary>
    private sealed class NextBeams(int k)
    {
        public List<int> Sentences { get; } = [];
        public List<int> Parents { get; } = new(k);
        public List<HypothesisNode?> Nodes { get; } = new(k);
        public List<float> Scores { get; } = new(k);
        public List<float[]?> Coverage { get; } = new(k);
        public List<int> Tokens { get; } = new(k);
    }
}
