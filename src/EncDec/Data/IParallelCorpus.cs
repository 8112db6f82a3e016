namespace EncDec.Data;

/// <summary>
/// A source of sentence pairs for training or evaluation, read as a stream: a pass never holds the whole corpus in
/// memory, and <see cref="Read"/> may be called again for the next epoch. Created by <see cref="ParallelCorpus"/>.
/// </summary>
public interface IParallelCorpus
{
    /// <summary>What the corpus is (its files), for logs and error messages.</summary>
    string Description { get; }

    /// <summary>The counts of the current or last pass.</summary>
    CorpusStatistics Statistics { get; }

    /// <summary>The pairs, in corpus order. Lazy: nothing is opened until the first <c>MoveNext</c>, and every call
    /// starts a new pass from the beginning (and resets <see cref="Statistics"/>).</summary>
    /// <exception cref="InvalidDataException">A malformed line (unless skipped) or misaligned files; the message names
    /// the file and the line.</exception>
    IEnumerable<SentencePair> Read();
}
