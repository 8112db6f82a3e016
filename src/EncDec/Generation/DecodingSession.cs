using EncDec.Kernels;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Generation;

/// <summary>
/// What every search strategy shares for one batch: the decoder state, one step for all active rows (logits to
/// constrained log-probabilities, attention copied out, all inside a <see cref="TensorScope"/>), reordering rows,
/// and turning a finished path into a <see cref="Hypothesis"/> with its penalties. Rows are hypotheses; each belongs
/// to a sentence (an input row of the batch).
/// </summary>
internal sealed class DecodingSession
{
    private readonly Func<IntTensor, IDecoderState, Tensor> _step;
    private readonly int[]?[] _prefixes;
    private readonly int _paddedSourceLength;
    private float[] _logProbs = [], _attention = [], _heads = [];
    private int[] _bestTokens = [];
    private Candidate[] _candidates = [];
    private int[] _candidateCounts = [];
    private float[]? _rowScores;
    private readonly RowRules _rowRules = new();

    public DecodingSession(EncoderDecoderModel model, IDecoder? decoder, EncoderOutput encoded, SpecialIds ids,
        SearchOptions options, IReadOnlyList<int[]?>? targetPrefixes)
    {
        Options = options;
        Ids = ids;
        Vocabulary = model.TargetVocabularySize;
        int endId = options.EndId ?? ids.End;
        if (endId >= Vocabulary || ids.Start >= Vocabulary)
            throw new ArgumentException($"SequenceGenerator: end id {endId} or start id {ids.Start} is outside the target vocabulary of {Vocabulary}");
        Rules = new TokenRules(options, endId, Vocabulary);
        Sentences = encoded.BatchSize;
        CheckRowsFit(options);
        _paddedSourceLength = encoded.SourceLength;
        if (targetPrefixes is not null && targetPrefixes.Count != Sentences)
            throw new ArgumentException($"SequenceGenerator: {targetPrefixes.Count} target prefixes for a batch of {Sentences}", nameof(targetPrefixes));
        _prefixes = new int[]?[Sentences];
        SourceLengths = new int[Sentences];
        MaxLengths = new int[Sentences];
        var mask = encoded.PaddingMask.ToArray();
        for (int s = 0; s < Sentences; s++)
        {
            for (int j = 0; j < _paddedSourceLength; j++) if (mask[s * _paddedSourceLength + j] == 0f) SourceLengths[s]++;
            var prefix = targetPrefixes?[s] ?? options.TargetPrefix;
            if (prefix is not null && prefix.Any(id => (uint)id >= (uint)Vocabulary || id == endId))
                throw new ArgumentException($"SequenceGenerator: the target prefix of input {s} holds an id outside the vocabulary or the end id", nameof(targetPrefixes));
            _prefixes[s] = prefix is { Length: > 0 } ? prefix : null;
            MaxLengths[s] = Math.Max(options.MaxLengthFor(SourceLengths[s]), prefix?.Length ?? 0);
        }
        _step = decoder is null ? model.Step : decoder.Step;
        State = decoder is null ? model.StartDecoding(encoded) : decoder.Start(encoded);
        WantsAttention = options.ReturnAttention || options.ReplaceUnknown || options.CoveragePenalty > 0;
    }

    /// <summary>Every step holds (rows, vocabulary) log-probabilities in one array: a batch whose rows (inputs × beams or
    /// samples) cannot fit is a usage error naming the numbers, rather than an overflow deep inside a step.</summary>
    private void CheckRowsFit(SearchOptions options)
    {
        (int width, string what) = options.Sampling ? (options.NumSamples, "samples") : (options.BeamSize, "beams");
        long values = (long)Sentences * width * Vocabulary;
        if (values > Array.MaxLength)
            throw new ArgumentException($"SequenceGenerator: {Sentences} inputs × {width} {what} × a target vocabulary of " +
                $"{Vocabulary} make {values:N0} log-probabilities per step, more than one array holds; search with fewer " +
                $"{what} or fewer inputs per batch", nameof(options));
    }

    public SearchOptions Options { get; }
    public SpecialIds Ids { get; }
    public TokenRules Rules { get; }
    public int Vocabulary { get; }
    public int EndId => Rules.EndId;
    public int Sentences { get; }
    public IDecoderState State { get; }
    public int[] SourceLengths { get; }
    public int[] MaxLengths { get; }
    private bool WantsAttention { get; }

    /// <summary>Whether the last step reported attention (false for decoders without one).</summary>
    public bool HasAttention { get; private set; }

    /// <summary>Layers and heads of the per-head attention of the last step (0 when absent).</summary>
    public (int Layers, int Heads) HeadShape { get; private set; }

    /// <summary>Constrained log-probabilities of row <paramref name="row"/> after the last <see cref="Step"/>.</summary>
    public Span<float> LogProbs(int row) => _logProbs.AsSpan(row * Vocabulary, Vocabulary);

    /// <summary>Row <paramref name="row"/>'s attention over the padded source after the last step (srcLen).</summary>
    public ReadOnlySpan<float> AttentionRow(int row) => _attention.AsSpan(row * _paddedSourceLength, _paddedSourceLength);

    /// <summary>Feeds <paramref name="tokens"/> (one per row) and computes every row's constrained log-probabilities.</summary>
    /// <param name="tokens">(rows) the previous tokens.</param>
    /// <param name="rowSentence">(rows) the sentence each row belongs to.</param>
    /// <param name="nodes">(rows) each row's hypothesis so far (null before its first token).</param>
    /// <param name="rowScores">(rows) each row's summed log-probability, needed when <see cref="CandidatesPerRow"/> is set.</param>
    public void Step(int[] tokens, int[] rowSentence, HypothesisNode?[] nodes, float[]? rowScores = null)
    {
        int rows = tokens.Length;
        if (_logProbs.Length < rows * Vocabulary) _logProbs = new float[rows * Vocabulary];
        if (_bestTokens.Length < rows) _bestTokens = new int[rows];
        if (CandidatesPerRow > 0)
        {
            if (rowScores is null || rowScores.Length < rows)
                throw new ArgumentException("DecodingSession: candidates per row need every row's score", nameof(rowScores));
            if (_candidates.Length < rows * CandidatesPerRow) _candidates = new Candidate[rows * CandidatesPerRow];
            if (_candidateCounts.Length < rows) _candidateCounts = new int[rows];
        }
        _rowScores = rowScores;
        using (TensorScope.Begin())
        {
            var logits = _step(new IntTensor(tokens, rows), State);   // (rows, vocab)
            // Each row's log-softmax reads the logits and writes the session's row in its last pass, on the thread that
            // applies the rules, instead of the calling thread copying the whole (rows, vocab) block first; the logits
            // live until the rules are done.
            _logits = logits.IsContiguous ? logits : logits.Contiguous();
            CopyAttention(rows);
            try
            {
                _rowRules.Run(this, rows, rowSentence, nodes);
            }
            finally
            {
                (_logits, _rowScores) = (null, null);
            }
        }
    }

    /// <summary>The logits of the step in progress, (rows, vocab) contiguous; null between steps.</summary>
    private Tensor? _logits;

    /// <summary>Whether each step also finds every row's most probable token (<see cref="BestToken"/>), while the
    /// row is still in cache on the thread that just normalised it. Greedy search sets it.</summary>
    public bool TracksBestTokens { get; set; }

    /// <summary>Row <paramref name="row"/>'s most probable allowed token after the last step (the first on ties), or -1
    /// when every token is masked; valid when <see cref="TracksBestTokens"/>.</summary>
    public int BestToken(int row) => _bestTokens[row];

    /// <summary>How many continuations of each row every step keeps (<see cref="RowCandidates.Best"/>), found while the row
    /// is in cache on the thread that normalised it; 0 (the default) keeps none. Beam search sets it to 2K.</summary>
    public int CandidatesPerRow { get; set; }

    /// <summary>Row <paramref name="row"/>'s best continuations after the last step, best first (see
    /// <see cref="CandidatesPerRow"/>).</summary>
    public ReadOnlySpan<Candidate> Candidates(int row) =>
        _candidates.AsSpan(row * CandidatesPerRow, _candidateCounts[row]);

    /// <summary>Turns row <paramref name="row"/>'s logits into its constrained log-probabilities (any thread).</summary>
    private void ApplyRules(int row, int sentence, HypothesisNode? node)
    {
        var history = Rules.NeedsHistory ? HypothesisNode.History(node) : [];
        Rules.Apply(_logits!.AsSpan().Slice(row * Vocabulary, Vocabulary), LogProbs(row), history, node?.Length ?? 0,
            MaxLengths[sentence], _prefixes[sentence]);
        if (TracksBestTokens) _bestTokens[row] = ArgMaxKernel.Apply(LogProbs(row));
        if (CandidatesPerRow > 0)
            _candidateCounts[row] = RowCandidates.Best(_rowScores![row], LogProbs(row), row,
                _candidates.AsSpan(row * CandidatesPerRow, CandidatesPerRow));
    }

    /// <summary>The rules of every row of a step, rows spread over the kernel threads (a log-softmax over the
    /// vocabulary per row is a large share of a step of a small model).</summary>
    private sealed class RowRules : IParallelWork
    {
        private DecodingSession? _session;
        private int[]? _rowSentence;
        private HypothesisNode?[]? _nodes;

        public void Run(DecodingSession session, int rows, int[] rowSentence, HypothesisNode?[] nodes)
        {
            (_session, _rowSentence, _nodes) = (session, rowSentence, nodes);
            try
            {
                ParallelRunner.For(rows, this, (long)rows * session.Vocabulary < 32_768 ? 1 : 0);
            }
            finally
            {
                (_session, _rowSentence, _nodes) = (null, null, null);
            }
        }

        public void Execute(int begin, int end)
        {
            for (int r = begin; r < end; r++) _session!.ApplyRules(r, _rowSentence![r], _nodes![r]);
        }
    }

    /// <summary>Keeps rows <paramref name="rows"/> of the decoder state in that order (skipped when nothing moves).</summary>
    public void Reorder(ReadOnlySpan<int> rows)
    {
        bool identity = rows.Length == State.BatchSize;
        for (int i = 0; identity && i < rows.Length; i++) identity = rows[i] == i;
        if (!identity) State.Reorder(rows);
    }

    /// <summary>Extends <paramref name="parent"/> with <paramref name="token"/> chosen from row <paramref name="row"/>,
    /// keeping the step's attention on the node when requested.</summary>
    public HypothesisNode Extend(HypothesisNode? parent, int token, int row, int sentence)
    {
        float[]? attention = null, heads = null;
        if (Options.ReturnAttention || Options.ReplaceUnknown)
        {
            if (HasAttention) attention = AttentionRow(row)[..SourceLengths[sentence]].ToArray();
            if (HeadShape.Layers > 0) heads = HeadsRow(row, SourceLengths[sentence]);
        }
        return new HypothesisNode(parent, token, LogProbs(row)[token], attention, heads);
    }

    /// <summary>Adds row <paramref name="row"/>'s attention of the last step to <paramref name="coverage"/> (srcLen), a copy.</summary>
    public float[]? AccumulateCoverage(float[]? coverage, int row)
    {
        if (Options.CoveragePenalty == 0f) return null;
        if (!HasAttention) throw new InvalidOperationException("SequenceGenerator: CoveragePenalty needs a decoder with attention");
        var sum = new float[_paddedSourceLength];
        if (coverage is not null) coverage.CopyTo(sum, 0);
        TensorPrimitives.Add(sum, AttentionRow(row), sum);
        return sum;
    }

    /// <summary>The finished hypothesis ending at <paramref name="node"/>; <paramref name="ended"/> says whether its
    /// last node is the end token.</summary>
    public Hypothesis Finish(HypothesisNode node, bool ended, float score, float[]? coverage, int sentence)
    {
        var path = HypothesisNode.Path(node);
        int tokens = ended ? path.Length - 1 : path.Length;
        float normalised = Normalise(score, path.Length, coverage, SourceLengths[sentence]);
        float[][]? attention = path.All(n => n.Attention is not null) && path.Length > 0 ? path.Select(n => n.Attention!).ToArray() : null;
        AttentionHeads? heads = path.All(n => n.Heads is not null) && path.Length > 0
            ? new AttentionHeads(HeadShape.Layers, HeadShape.Heads, SourceLengths[sentence], path.Select(n => n.Heads!).ToArray())
            : null;
        return new Hypothesis(path[..tokens].Select(n => n.Token).ToArray(), score, normalised,
            path.Select(n => n.LogProb).ToArray(), attention, heads);
    }

    /// <summary>score / lp(length) + β·Σ_src log(min(coverage, 1)) over the real source positions.</summary>
    public float Normalise(float score, int length, float[]? coverage, int sourceLength)
    {
        float normalised = score / LengthPenalty(length);
        if (coverage is null) return normalised;
        double penalty = 0;
        // The floor keeps a never-attended position a large finite penalty rather than -∞.
        for (int j = 0; j < sourceLength; j++) penalty += Math.Log(Math.Clamp(coverage[j], 1e-10f, 1f));
        return normalised + Options.CoveragePenalty * (float)penalty;
    }

    /// <summary>The length penalty lp(len) a score is divided by.</summary>
    public float LengthPenalty(int length) => Options.LengthPenaltyKind switch
    {
        LengthPenaltyKind.Average => MathF.Pow(Math.Max(length, 1), Options.LengthPenalty),
        LengthPenaltyKind.Gnmt => MathF.Pow((5f + length) / 6f, Options.LengthPenalty),
        _ => 1f,
    };

    private void CopyAttention(int rows)
    {
        if (!WantsAttention) return;
        HasAttention = State.LastAttention is not null;
        if (State.LastAttention is { } attention)
        {
            if (_attention.Length < rows * _paddedSourceLength) _attention = new float[rows * _paddedSourceLength];
            StridedCopy.ToDense(attention, _attention.AsSpan(0, rows * _paddedSourceLength));
        }
        if ((Options.ReturnAttention || Options.ReplaceUnknown) && State.LastAttentionHeads is { } heads)
        {
            HeadShape = (heads.Dim(1), heads.Dim(2));
            if (_heads.Length < heads.Count) _heads = new float[heads.Count];
            StridedCopy.ToDense(heads, _heads.AsSpan(0, heads.Count));
        }
    }

    /// <summary>Row <paramref name="row"/>'s per-head attention trimmed to <paramref name="sourceLength"/>: (layers·heads·srcLen).</summary>
    private float[] HeadsRow(int row, int sourceLength)
    {
        int count = HeadShape.Layers * HeadShape.Heads;
        var result = new float[count * sourceLength];
        for (int i = 0; i < count; i++)
            _heads.AsSpan((row * count + i) * _paddedSourceLength, sourceLength).CopyTo(result.AsSpan(i * sourceLength));
        return result;
    }
}
