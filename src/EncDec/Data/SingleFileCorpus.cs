namespace EncDec.Data;

/// <summary>A corpus of one file (plain or gzip) holding a whole pair on each line; subclasses parse a line.</summary>
internal abstract class SingleFileCorpus(string path, CorpusReadOptions options) : IParallelCorpus
{
    /// <summary>The file.</summary>
    protected string Path { get; } = path;

    /// <summary>How lines are read.</summary>
    protected CorpusReadOptions Options { get; } = options;

    /// <inheritdoc />
    public string Description => $"'{Path}'";

    /// <inheritdoc />
    public CorpusStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public IEnumerable<SentencePair> Read()
    {
        Statistics.Reset();
        using var reader = LineReader.Open(Path);
        while (reader.MoveNext())
        {
            Statistics.CountRead();
            string? reason, problem;
            string? source = null, target = null;
            if (!System.Text.Unicode.Utf8.IsValid(reader.Line))
            {
                LineReader.TryDecode(reader.Line, out _, out int column);
                (reason, problem) = (CorpusSkipReason.InvalidUtf8, $"invalid UTF-8 at byte {column} of the line");
            }
            else
            {
                (reason, problem) = Parse(reader.Line, out source, out target);
            }
            if (reason is null)
            {
                yield return new SentencePair(source!, target!, Path, reader.Number);
                continue;
            }
            if (!Options.SkipInvalid) throw new InvalidDataException($"'{Path}' line {reader.Number}: {problem}");
            Statistics.CountSkipped(reason);
        }
    }

    /// <summary>Splits one valid UTF-8 line into its pair.</summary>
    /// <returns>(null, null) on success; else a <see cref="CorpusSkipReason"/> and a description of the problem for
    /// the error message (which adds the file and line).</returns>
    protected abstract (string? Reason, string? Problem) Parse(ReadOnlySpan<byte> line, out string? source, out string? target);
}
