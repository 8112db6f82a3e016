namespace EncDec.Data;

/// <summary>Pairs from a sequence in memory (tests, generated data); restartable when the sequence is.</summary>
internal sealed class MemoryCorpus(IEnumerable<(string Source, string Target)> pairs, string description) : IParallelCorpus
{
    /// <inheritdoc />
    public string Description { get; } = description;

    /// <inheritdoc />
    public CorpusStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public IEnumerable<SentencePair> Read()
    {
        Statistics.Reset();
        long position = 0;
        foreach (var (source, target) in pairs)
        {
            position++;
            if (source is null || target is null)
                throw new ArgumentException($"{Description}: pair {position} has a null {(source is null ? "source" : "target")}");
            Statistics.CountRead();
            yield return new SentencePair(source, target, Description, position);
        }
    }
}
