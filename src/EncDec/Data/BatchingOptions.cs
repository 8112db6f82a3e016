namespace EncDec.Data;

/// <summary>
/// How <see cref="TokenBatcher"/> groups pairs into batches. Lengths count tokens as they stand in the batch's rows:
/// a source row holds the source ids (plus End when the batcher appends it), a target row n + 1 tokens
/// ([Start, y₁ … yₙ] or [y₁ … yₙ, End]).
/// </summary>
/// <param name="MaxTokens">Most padded tokens a batch may hold: max(source row length, target row length) ×
/// sentences. A single pair longer than this gets a batch of its own.</param>
/// <param name="MaxSentences">Most sentences a batch may hold.</param>
/// <param name="MaxSourceLength">Longest source row kept (End included); at most 1,048,575.</param>
/// <param name="MaxTargetLength">Longest target row kept (n + 1 for n target tokens); at most 1,048,575.</param>
/// <param name="MinLength">Fewest tokens (End excluded) a source and a target must have; shorter pairs are skipped.
/// At least 1: an empty sentence is never trained on.</param>
/// <param name="PoolSize">Pairs read, sorted and cut into batches together. Larger pools give batches of more
/// uniform length (less padding) at the cost of memory (about the pool's text and token ids); at most 2^24.</param>
/// <param name="Shuffle">Break length ties at random and shuffle the order of each pool's batches; without it,
/// pools are cut shortest first and ties keep corpus order.</param>
/// <param name="Seed">Seeds the shuffling; with the epoch number and the pool index it fixes every batch.</param>
/// <param name="Filter">What happens to a pair longer than the maximum length.</param>
/// <param name="EncoderThreads">Threads that tokenize a pool; more than 1 only with thread-safe encoders (the
/// project's tokenizers are). Batches do not depend on it.</param>
public sealed record BatchingOptions(int MaxTokens = 4096, int MaxSentences = 1024, int MaxSourceLength = 256,
    int MaxTargetLength = 256, int MinLength = 1, int PoolSize = 100_000, bool Shuffle = true, ulong Seed = 1,
    LengthFilter Filter = LengthFilter.Skip, int EncoderThreads = 1)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first field whose value is out of range.</summary>
    public void Validate()
    {
        Positive(MaxTokens, nameof(MaxTokens));
        Positive(MaxSentences, nameof(MaxSentences));
        Positive(PoolSize, nameof(PoolSize));
        AtMost(PoolSize, BatchPlanner.MaxPoolSize, nameof(PoolSize));
        AtMost(MaxSourceLength, BatchPlanner.MaxLength, nameof(MaxSourceLength));
        AtMost(MaxTargetLength, BatchPlanner.MaxLength, nameof(MaxTargetLength));
        Positive(MinLength, nameof(MinLength));
        Positive(EncoderThreads, nameof(EncoderThreads));
        // A row of MinLength tokens plus End must fit, or every pair would be filtered out.
        if (MaxSourceLength < MinLength + 1)
            throw new ArgumentException($"BatchingOptions: MaxSourceLength {MaxSourceLength} must be at least MinLength + 1 = {MinLength + 1}", nameof(MaxSourceLength));
        if (MaxTargetLength < MinLength + 1)
            throw new ArgumentException($"BatchingOptions: MaxTargetLength {MaxTargetLength} must be at least MinLength + 1 = {MinLength + 1}", nameof(MaxTargetLength));
        if (!Enum.IsDefined(Filter))
            throw new ArgumentException($"BatchingOptions: Filter {Filter} is not a LengthFilter", nameof(Filter));
    }

    private static void AtMost(int value, int limit, string name)
    {
        if (value > limit) throw new ArgumentException($"BatchingOptions: {name} {value} must be at most {limit}", name);
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentException($"BatchingOptions: {name} {value} must be at least 1", name);
    }
}
