namespace EncDec.Text.Training;

/// <summary>
/// Unigram language-model vocabulary training as SentencePiece 0.1.97's <c>unigram::Trainer::Train</c>: start
/// from the seed pieces (<see cref="UnigramSeeds"/>), and repeat EM (with a Dirichlet-process-like sparse prior)
/// and pruning by loss until at most 1.1 times the vocabulary size remains; then keep the alphabet and the
/// best-scoring pieces.
/// </summary>
/// <remarks>
/// <para>E step: each piece's expected count over all words (forward-backward in each word's lattice). M step:
/// pieces expected less than 0.5 times are dropped, and a piece's score becomes
/// <c>digamma(count) - digamma(total)</c>, the Bayesian EM update of Liang's tutorial
/// (https://cs.stanford.edu/~pliang/papers/tutorial-acl2007-talk.pdf), which favours frequent pieces.</para>
/// <para>Pruning: a piece whose best split is not itself is dropped; for the others, the loss of likelihood if
/// its occurrences were split the second-best way instead is estimated, and the pieces that lose least are
/// removed, keeping the shrinking factor (0.75) of them or 1.1 times the vocabulary size, whichever is more. The
/// loss is computed as SentencePiece 0.1.97 computes it, quirk included (see <see cref="Prune"/>): with it, the
/// pieces match spm_train's, 1,000 of 1,000 on 4,000 Multi30k lines.</para>
/// <para>Words are processed in parallel, but expected counts are summed in word order, so the model does not
/// depend on the number of threads.</para>
/// </remarks>
internal sealed class UnigramTrainer
{
    private const float ExpectedFrequencyThreshold = 0.5f;
    private const float MinScorePenaltyDelta = 0.0001f;
    private const int Block = 4096;

    private readonly List<(int[] Word, long Count)> words;
    private readonly SubwordTrainingOptions options;
    private readonly int desiredSize;

    private UnigramTrainer(TrainingCorpus corpus, SubwordTrainingOptions options)
    {
        words = WordCounter.Count(corpus.Sentences);
        this.options = options;
        desiredSize = (int)(options.VocabularySize * 1.1);
    }

    /// <summary>The learned pieces with their scores, best first.</summary>
    /// <param name="corpus">The prepared training sentences.</param>
    /// <param name="validator">Which substrings may seed the model.</param>
    /// <param name="pieceCount">How many pieces to learn, alphabet included.</param>
    /// <param name="options">EM and pruning settings, and threads.</param>
    public static List<(int[] Piece, float Score)> Train(TrainingCorpus corpus, PieceValidator validator, int pieceCount,
        SubwordTrainingOptions options)
    {
        var trainer = new UnigramTrainer(corpus, options);
        var model = new UnigramModel(UnigramSeeds.Make(corpus, validator, options.SeedPieceCount));
        while (true)
        {
            for (int iteration = 0; iteration < options.SubIterations; iteration++)
                model = MStep(model, trainer.EStep(model));
            if (model.Pieces.Count <= trainer.desiredSize) break;
            model = trainer.Prune(model);
        }
        return Finalize(model, corpus.Alphabet, pieceCount);
    }

    private float[] EStep(UnigramModel model)
    {
        var expected = new float[model.Pieces.Count];
        ForEachWord(model, (lattice, w, output) => lattice.Marginals(words[w].Count, output),
            (id, amount) => expected[id] = (float)(expected[id] + amount));
        return expected;
    }

    private static UnigramModel MStep(UnigramModel model, float[] expected)
    {
        var kept = new List<(int[] Piece, float Score)>();
        float sum = 0;
        for (int id = 0; id < expected.Length; id++)
        {
            if (expected[id] < ExpectedFrequencyThreshold) continue;
            kept.Add((model.Pieces[id].Piece, expected[id]));
            sum += expected[id];
        }
        float logSum = (float)Digamma(sum);
        return new UnigramModel([.. kept.Select(p => (p.Piece, (float)(Digamma(p.Score) - logSum)))]);
    }

    private UnigramModel Prune(UnigramModel model)
    {
        var pieces = model.Pieces;
        var (alwaysKeep, alternatives) = Alternatives(model);

        // The frequency of each piece in the Viterbi splits of all words.
        var frequency = new float[pieces.Count];
        float wordTotal = 0;
        foreach (var (_, count) in words) wordTotal += count;
        ForEachWord(model, (lattice, w, output) =>
        {
            var path = new List<int>();
            lattice.Viterbi(path);
            foreach (int id in path) output.Add((id, words[w].Count));
        }, (id, amount) => frequency[id] += (float)amount);

        float sum = (float)frequency.Sum(f => (double)f);
        float logSum = (float)Math.Log(sum);
        var kept = new List<(int[] Piece, float Score)>();
        var candidates = new List<(int Id, float Loss)>();
        for (int i = 0; i < pieces.Count; i++)
        {
            if (frequency[i] == 0 || !alwaysKeep[i]) continue;   // never used, or better split into others
            if (alternatives[i].Count == 0)
            {
                kept.Add(pieces[i]);
                continue;
            }
            // The likelihood lost if every occurrence of piece i were split into its alternatives instead.
            float share = frequency[i] / wordTotal;
            float logProbability = (float)(Math.Log(frequency[i]) - logSum);
            // SentencePiece meant freq * (alternatives[i].size() - 1), but 0.1.97 multiplies by the number of all
            // pieces minus one (alternatives.size(); fixed in 0.1.99): kept, since it decides which pieces survive.
            float logSumAlternative = (float)Math.Log(sum + frequency[i] * (float)(alternatives.Length - 1));
            float logProbabilityAlternative = 0;
            foreach (int n in alternatives[i])
                logProbabilityAlternative += (float)(Math.Log(frequency[n] + frequency[i]) - logSumAlternative);
            candidates.Add((i, share * (logProbability - logProbabilityAlternative)));
        }

        int prunedSize = Math.Max(desiredSize, (int)((float)options.ShrinkingFactor * pieces.Count));
        foreach (var (id, _) in candidates.OrderByDescending(c => c.Loss).ThenBy(c => c.Id))
        {
            if (kept.Count == prunedSize) break;
            kept.Add(pieces[id]);
        }
        return new UnigramModel(kept);
    }

    // For each piece: whether it is its own best split, and if so its second-best split.
    private static (bool[] AlwaysKeep, List<int>[] Alternatives) Alternatives(UnigramModel model)
    {
        var pieces = model.Pieces;
        var alwaysKeep = new bool[pieces.Count];
        var alternatives = new List<int>[pieces.Count];
        var lattice = new UnigramLattice();
        var first = new List<int>();
        for (int i = 0; i < pieces.Count; i++)
        {
            alternatives[i] = [];
            lattice.Populate(pieces[i].Piece, model);
            var second = new List<int>();
            if (!lattice.TwoBest(first, second)) alwaysKeep[i] = true;    // the only split
            else if (first.Count >= 2) alwaysKeep[i] = false;            // better split into others
            else
            {
                alwaysKeep[i] = true;
                alternatives[i] = second;
            }
        }
        return (alwaysKeep, alternatives);
    }

    private static List<(int[] Piece, float Score)> Finalize(UnigramModel model, List<(int Char, long Count)> alphabet, int pieceCount)
    {
        var scores = new Dictionary<int[], float>(CodePoints.Comparer);
        foreach (var (piece, score) in model.Pieces) scores[piece] = score;
        var final = new Dictionary<int[], float>(CodePoints.Comparer);
        float penalty = 0;
        foreach (var (c, _) in alphabet)
        {
            int[] piece = [c];
            if (scores.TryGetValue(piece, out float score)) final[piece] = score;
            else
            {
                // Missing characters score just below the rest, the frequent ones a little higher.
                final[piece] = model.MinScore + penalty;
                penalty += MinScorePenaltyDelta;
            }
        }
        foreach (var (piece, score) in BestFirst(model.Pieces))
        {
            if (final.ContainsKey(piece)) continue;
            if (final.Count == pieceCount) break;
            final[piece] = score;
        }
        return BestFirst(final.Select(p => (p.Key, p.Value)));
    }

    private static List<(int[] Piece, float Score)> BestFirst(IEnumerable<(int[] Piece, float Score)> pieces) =>
        [.. pieces.OrderByDescending(p => p.Score).ThenBy(p => p.Piece, CodePoints.Comparer)];

    // Runs `work` on every word's lattice in parallel, then hands each (id, amount) it produced to `add`, in word
    // order, so that float sums do not depend on the thread count.
    private void ForEachWord(UnigramModel model, Action<UnigramLattice, int, List<(int Id, double Amount)>> work,
        Action<int, double> add)
    {
        var outputs = new List<(int Id, double Amount)>[Math.Min(Block, words.Count)];
        for (int start = 0; start < words.Count; start += Block)
        {
            int end = Math.Min(words.Count, start + Block);
            Parallel.For(start, end, new ParallelOptions { MaxDegreeOfParallelism = options.Threads },
                () => new UnigramLattice(),
                (w, _, lattice) =>
                {
                    var output = outputs[w - start] ??= [];
                    output.Clear();
                    lattice.Populate(words[w].Word, model);
                    work(lattice, w, output);
                    return lattice;
                },
                _ => { });
            for (int w = start; w < end; w++)
                foreach (var (id, amount) in outputs[w - start]) add(id, amount);
        }
    }

    // The digamma function: recurrence up to 7, then its asymptotic series (as SentencePiece computes it).
    private static double Digamma(double x)
    {
        double result = 0;
        for (; x < 7; ++x) result -= 1 / x;
        x -= 0.5;
        double xx = 1.0 / x, xx2 = xx * xx, xx4 = xx2 * xx2;
        return result + Math.Log(x) + (1.0 / 24.0) * xx2 - (7.0 / 960.0) * xx4 + (31.0 / 8064.0) * xx4 * xx2
            - (127.0 / 30720.0) * xx4 * xx4;
    }
}
