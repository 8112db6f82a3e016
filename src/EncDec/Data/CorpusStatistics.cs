using System.Collections.Concurrent;

namespace EncDec.Data;

/// <summary>
/// What one pass over a corpus read and skipped. The counters are reset when a pass starts (the first
/// <c>MoveNext</c> of <see cref="IParallelCorpus.Read"/>) and may be read from another thread while it runs.
/// </summary>
public sealed class CorpusStatistics
{
    private readonly ConcurrentDictionary<string, long> skippedByReason = new(StringComparer.Ordinal);
    private long read;
    private long skipped;

    /// <summary>Pairs (lines) read in the current or last pass, skipped ones included.</summary>
    public long Read => Interlocked.Read(ref read);

    /// <summary>Pairs skipped as malformed (only under <see cref="CorpusReadOptions.SkipInvalid"/>).</summary>
    public long Skipped => Interlocked.Read(ref skipped);

    /// <summary>Pairs handed on: <see cref="Read"/> minus <see cref="Skipped"/>.</summary>
    public long Yielded => Read - Skipped;

    /// <summary>A snapshot of the skip counts by reason (keys from <see cref="CorpusSkipReason"/>).</summary>
    public IReadOnlyDictionary<string, long> SkippedByReason =>
        new SortedDictionary<string, long>(skippedByReason.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString()
    {
        string reasons = string.Join(", ", SkippedByReason.Select(p => $"{p.Key} {p.Value}"));
        return $"{Read} read, {Skipped} skipped" + (reasons.Length > 0 ? $" ({reasons})" : "");
    }

    internal void Reset()
    {
        Interlocked.Exchange(ref read, 0);
        Interlocked.Exchange(ref skipped, 0);
        skippedByReason.Clear();
    }

    internal void CountRead() => Interlocked.Increment(ref read);

    internal void CountSkipped(string reason)
    {
        Interlocked.Increment(ref skipped);
        skippedByReason.AddOrUpdate(reason, 1, (_, count) => count + 1);
    }
}
