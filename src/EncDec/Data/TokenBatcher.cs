using EncDec.Models;

namespace EncDec.Data;

/// <summary>
/// Turns a parallel corpus into token-budget batches the way Marian's and fairseq's batch generators do: read a pool
/// of <see cref="BatchingOptions.PoolSize"/> pairs (streamed), tokenize them, filter by length, sort the pool by
/// target length, then source length (ascending under even target lengths and descending under odd ones, so that a
/// batch straddling two target lengths keeps its sources close), with a seeded random tie break, cut it into batches of at most
/// <see cref="BatchingOptions.MaxTokens"/> padded tokens and <see cref="BatchingOptions.MaxSentences"/> sentences, and
/// yield them in a seeded random order. Sorting is what keeps padding low; shuffling the batches (not the sentences)
/// keeps the gradient noise of a random order.
/// </summary>
/// <remarks>
/// <para>An epoch is a pure function of (seed, epoch, corpus, tokenizers, options): each pool draws from its own
/// generator seeded by (seed, epoch, pool index), so <see cref="Epoch"/> with <c>skipBatches</c> resumes an
/// interrupted epoch exactly. Pools follow corpus order; only the batches within a pool are shuffled (Marian's
/// <c>--shuffle batches</c>), so with a corpus larger than one pool the pools come in the same order every epoch.</para>
/// <para>A pair whose padded size alone exceeds <see cref="BatchingOptions.MaxTokens"/> (a long pair with a small
/// budget) is not dropped: it gets a batch of its own, counted in <see cref="BatchingStatistics.OversizeBatches"/>.
/// Which pairs are too long is decided by the maximum lengths only.</para>
/// <para>The encoders are called on the enumerating thread, or on <see cref="BatchingOptions.EncoderThreads"/> threads.</para>
/// </remarks>
/// <example><code>
/// var spm = SentencePieceProcessor.Load("spm.model");
/// var batcher = new TokenBatcher(ParallelCorpus.Open("train.en.gz", "train.de.gz"), spm.Encode, spm.Encode,
///     new SpecialIds(Pad: spm.PadId, Start: spm.BosId, End: spm.EosId, Unknown: spm.UnknownId),
///     appendSourceEnd: true, new BatchingOptions(MaxTokens: 4096));
/// foreach (var batch in batcher.Epoch(epoch)) trainer.Step(batch);
/// </code></example>
public sealed class TokenBatcher
{
    private readonly Func<string, int[]> encodeSource;
    private readonly Func<string, int[]> encodeTarget;
    private readonly SpecialIds ids;
    private readonly bool appendSourceEnd;

    /// <summary>A batcher over <paramref name="corpus"/>.</summary>
    /// <param name="corpus">The pairs; read again for every epoch.</param>
    /// <param name="encodeSource">Source text to ids (without End: the batcher appends it when asked).</param>
    /// <param name="encodeTarget">Target text to ids y₁ … yₙ, without Start or End (the batcher adds them).</param>
    /// <param name="ids">Pad fills batches, Start begins decoder inputs, End ends decoder outputs (and sources).</param>
    /// <param name="appendSourceEnd">Append End to every source row (Marian, fairseq and T5 do; some RNN setups do not).</param>
    /// <param name="options">Budgets, length limits, pool size and seed; validated here.</param>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public TokenBatcher(IParallelCorpus corpus, Func<string, int[]> encodeSource, Func<string, int[]> encodeTarget,
        SpecialIds ids, bool appendSourceEnd, BatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(encodeSource);
        ArgumentNullException.ThrowIfNull(encodeTarget);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Corpus = corpus;
        this.encodeSource = encodeSource;
        this.encodeTarget = encodeTarget;
        this.ids = ids;
        this.appendSourceEnd = appendSourceEnd;
        Options = options;
    }

    /// <summary>The corpus batched.</summary>
    public IParallelCorpus Corpus { get; }

    /// <summary>The batching options.</summary>
    public BatchingOptions Options { get; }

    /// <summary>What the current or last pass kept, filtered and padded.</summary>
    public BatchingStatistics Statistics { get; } = new();

    /// <summary>The batches of epoch <paramref name="epoch"/>, streamed: one pool is held at a time.</summary>
    /// <param name="epoch">The epoch number (from 0); a different epoch gives a different order.</param>
    /// <param name="skipBatches">Batches to pass over first (to resume an interrupted epoch): the batches that follow
    /// are exactly those an unskipped epoch yields after as many. Skipped batches are planned (their pool is still
    /// read and tokenized) but their tensors are never built.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative epoch or skip count.</exception>
    public IEnumerable<Batch> Epoch(int epoch, long skipBatches = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(skipBatches);
        return EpochBatches(epoch, skipBatches);
    }

    /// <summary>The batches in corpus order, without sorting or shuffling (for dev and test sets, whose outputs are
    /// compared line by line): each pool is cut into consecutive batches under the same budgets.</summary>
    public IEnumerable<Batch> Sequential()
    {
        Statistics.Reset();
        long index = 0;
        foreach (var pool in Pools())
        {
            foreach (var (start, count) in BatchPlanner.Cut(pool, Options.MaxTokens, Options.MaxSentences))
            {
                Statistics.CountBatch(pool, start, count, Options.MaxTokens);
                yield return Batch.Create(pool.GetRange(start, count), ids, index++);
            }
        }
    }

    private IEnumerable<Batch> EpochBatches(int epoch, long skipBatches)
    {
        Statistics.Reset();
        long index = 0, poolIndex = 0;
        foreach (var pool in Pools())
        {
            var random = Options.Shuffle ? BatchPlanner.PoolGenerator(Options.Seed, epoch, poolIndex) : null;
            poolIndex++;
            BatchPlanner.SortByLength(pool, random);
            var cuts = BatchPlanner.Cut(pool, Options.MaxTokens, Options.MaxSentences);
            if (random is not null) BatchPlanner.Shuffle(cuts, random);
            foreach (var (start, count) in cuts)
            {
                Statistics.CountBatch(pool, start, count, Options.MaxTokens);
                if (index++ < skipBatches) continue;
                yield return Batch.Create(pool.GetRange(start, count), ids, index - 1);
            }
        }
    }

    // A pool is PoolSize pairs read (kept or not), so pool boundaries, and with them every pool's generator, depend on
    // the corpus alone, not on what the filter dropped.
    private IEnumerable<List<TokenizedPair>> Pools()
    {
        var read = new List<SentencePair>();
        foreach (var pair in Corpus.Read())
        {
            read.Add(pair);
            if (read.Count == Options.PoolSize)
            {
                yield return TokenizePool(read);
                read.Clear();
            }
        }
        if (read.Count > 0) yield return TokenizePool(read);
    }

    private List<TokenizedPair> TokenizePool(List<SentencePair> read)
    {
        var results = new PairFilterResult[read.Count];
        var tokenized = new TokenizedPair[read.Count];
        if (Options.EncoderThreads == 1 || read.Count < 2 * Options.EncoderThreads)
        {
            for (int i = 0; i < read.Count; i++) results[i] = Tokenize(read[i], out tokenized[i]);
        }
        else
        {
            try
            {
                Parallel.For(0, read.Count, new ParallelOptions { MaxDegreeOfParallelism = Options.EncoderThreads },
                    i => results[i] = Tokenize(read[i], out tokenized[i]));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            }
        }
        var pool = new List<TokenizedPair>(read.Count);
        for (int i = 0; i < read.Count; i++)
        {
            Statistics.CountRead();
            Statistics.CountFiltered(results[i]);
            if (results[i] is PairFilterResult.Kept or PairFilterResult.Truncated) pool.Add(tokenized[i]);
        }
        return pool;
    }

    private PairFilterResult Tokenize(SentencePair pair, out TokenizedPair tokenized)
    {
        tokenized = default;
        int[] source = encodeSource(pair.Source) ?? throw NullIds("source", pair);
        int[] target = encodeTarget(pair.Target) ?? throw NullIds("target", pair);
        if (source.Length == 0 || target.Length == 0) return PairFilterResult.Empty;
        if (source.Length < Options.MinLength || target.Length < Options.MinLength) return PairFilterResult.TooShort;
        int end = appendSourceEnd ? 1 : 0;
        bool tooLong = source.Length + end > Options.MaxSourceLength || target.Length + 1 > Options.MaxTargetLength;
        if (tooLong && Options.Filter == LengthFilter.Skip) return PairFilterResult.TooLong;
        int sourceKept = Math.Min(source.Length, Options.MaxSourceLength - end);
        int targetKept = Math.Min(target.Length, Options.MaxTargetLength - 1);
        if (appendSourceEnd || sourceKept < source.Length)
        {
            var row = new int[sourceKept + end];
            source.AsSpan(0, sourceKept).CopyTo(row);
            if (appendSourceEnd) row[^1] = ids.End;
            source = row;
        }
        if (targetKept < target.Length) target = target[..targetKept];
        tokenized = new TokenizedPair(pair, source, target);
        return tooLong ? PairFilterResult.Truncated : PairFilterResult.Kept;
    }

    private static InvalidOperationException NullIds(string side, SentencePair pair) =>
        new($"the {side} encoder returned null for '{pair.File}' line {pair.Line}");
}
