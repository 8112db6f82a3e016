namespace EncDec.Data;

/// <summary>
/// What the batcher kept, filtered and padded in the current or last pass (<see cref="TokenBatcher.Epoch"/> or
/// <see cref="TokenBatcher.Sequential"/>). Reset when a pass starts; safe to read from another thread while it runs.
/// Batches skipped by <c>skipBatches</c> are counted too: they are part of the epoch.
/// </summary>
public sealed class BatchingStatistics
{
    private long pairsRead, pairsKept, empty, tooShort, tooLong, truncated, batches, oversizeBatches;
    private long sourceTokens, targetTokens, sourceCells, targetCells;

    /// <summary>Pairs the corpus handed over.</summary>
    public long PairsRead => Interlocked.Read(ref pairsRead);

    /// <summary>Pairs that went into batches (truncated ones included).</summary>
    public long PairsKept => Interlocked.Read(ref pairsKept);

    /// <summary>Pairs skipped because the source or the target has no token at all.</summary>
    public long Empty => Interlocked.Read(ref empty);

    /// <summary>Pairs skipped because a side has fewer than <see cref="BatchingOptions.MinLength"/> tokens (but some).</summary>
    public long TooShort => Interlocked.Read(ref tooShort);

    /// <summary>Pairs skipped because a side is longer than its maximum (<see cref="LengthFilter.Skip"/>).</summary>
    public long TooLong => Interlocked.Read(ref tooLong);

    /// <summary>Pairs cut to the maximum length (<see cref="LengthFilter.Truncate"/>).</summary>
    public long Truncated => Interlocked.Read(ref truncated);

    /// <summary>Batches cut.</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Batches of a single pair whose padded size alone exceeds <see cref="BatchingOptions.MaxTokens"/>.</summary>
    public long OversizeBatches => Interlocked.Read(ref oversizeBatches);

    /// <summary>Real (non-pad) source tokens.</summary>
    public long SourceTokens => Interlocked.Read(ref sourceTokens);

    /// <summary>Real target tokens (of the target output rows).</summary>
    public long TargetTokens => Interlocked.Read(ref targetTokens);

    /// <summary>Pad cells over all cells of the source tensors.</summary>
    public double SourcePaddingRatio => Ratio(SourceTokens, Interlocked.Read(ref sourceCells));

    /// <summary>Pad cells over all cells of the target tensors.</summary>
    public double TargetPaddingRatio => Ratio(TargetTokens, Interlocked.Read(ref targetCells));

    /// <summary>Pad cells over all cells, source and target tensors together: the compute spent on padding.</summary>
    public double PaddingRatio => Ratio(SourceTokens + TargetTokens, Interlocked.Read(ref sourceCells) + Interlocked.Read(ref targetCells));

    /// <inheritdoc />
    public override string ToString() =>
        $"{PairsRead} pairs read, {PairsKept} kept ({Empty} empty, {TooShort} too short, {TooLong} too long skipped; "
        + $"{Truncated} truncated), {Batches} batches ({OversizeBatches} oversize), padding {PaddingRatio:P2} "
        + $"(source {SourcePaddingRatio:P2}, target {TargetPaddingRatio:P2})";

    internal void Reset()
    {
        Interlocked.Exchange(ref pairsRead, 0);
        Interlocked.Exchange(ref pairsKept, 0);
        Interlocked.Exchange(ref empty, 0);
        Interlocked.Exchange(ref tooShort, 0);
        Interlocked.Exchange(ref tooLong, 0);
        Interlocked.Exchange(ref truncated, 0);
        Interlocked.Exchange(ref batches, 0);
        Interlocked.Exchange(ref oversizeBatches, 0);
        Interlocked.Exchange(ref sourceTokens, 0);
        Interlocked.Exchange(ref targetTokens, 0);
        Interlocked.Exchange(ref sourceCells, 0);
        Interlocked.Exchange(ref targetCells, 0);
    }

    internal void CountRead() => Interlocked.Increment(ref pairsRead);

    internal void CountFiltered(PairFilterResult result)
    {
        switch (result)
        {
            case PairFilterResult.Empty: Interlocked.Increment(ref empty); break;
            case PairFilterResult.TooShort: Interlocked.Increment(ref tooShort); break;
            case PairFilterResult.TooLong: Interlocked.Increment(ref tooLong); break;
            case PairFilterResult.Truncated: Interlocked.Increment(ref truncated); Interlocked.Increment(ref pairsKept); break;
            default: Interlocked.Increment(ref pairsKept); break;
        }
    }

    internal void CountBatch(IReadOnlyList<TokenizedPair> pool, int start, int count, int maxTokens)
    {
        int sourceLength = 0, targetLength = 0;
        long source = 0, target = 0;
        for (int i = start; i < start + count; i++)
        {
            sourceLength = Math.Max(sourceLength, pool[i].SourceLength);
            targetLength = Math.Max(targetLength, pool[i].TargetLength);
            source += pool[i].SourceLength;
            target += pool[i].TargetLength;
        }
        Interlocked.Increment(ref batches);
        if (count == 1 && Math.Max(sourceLength, targetLength) > maxTokens) Interlocked.Increment(ref oversizeBatches);
        Interlocked.Add(ref sourceTokens, source);
        Interlocked.Add(ref targetTokens, target);
        Interlocked.Add(ref sourceCells, (long)sourceLength * count);
        Interlocked.Add(ref targetCells, (long)targetLength * count);
    }

    private static double Ratio(long real, long cells) => cells == 0 ? 0.0 : 1.0 - (double)real / cells;
}
