namespace EncDec.Data;

/// <summary>Two line-aligned files, line n of the one translating line n of the other (Marian's and fairseq's
/// <c>train.en</c> + <c>train.de</c>), each plain or gzip.</summary>
internal sealed class AlignedFilesCorpus(string sourcePath, string targetPath, CorpusReadOptions options) : IParallelCorpus
{
    /// <inheritdoc />
    public string Description { get; } = $"'{sourcePath}' + '{targetPath}'";

    /// <inheritdoc />
    public CorpusStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public IEnumerable<SentencePair> Read()
    {
        Statistics.Reset();
        using var source = LineReader.Open(sourcePath);
        using var target = LineReader.Open(targetPath);
        while (true)
        {
            bool hasSource = source.MoveNext(), hasTarget = target.MoveNext();
            if (!hasSource && !hasTarget) yield break;
            if (hasSource != hasTarget) throw Misaligned(hasSource ? target : source, hasSource ? source : target);
            Statistics.CountRead();
            bool sourceValid = LineReader.TryDecode(source.Line, out string? sourceText, out int sourceColumn);
            bool targetValid = LineReader.TryDecode(target.Line, out string? targetText, out int targetColumn);
            if (sourceValid && targetValid)
            {
                yield return new SentencePair(sourceText!, targetText!, sourcePath, source.Number);
                continue;
            }
            if (!options.SkipInvalid)
            {
                var (file, column) = sourceValid ? (targetPath, targetColumn) : (sourcePath, sourceColumn);
                throw new InvalidDataException($"'{file}' line {source.Number}: invalid UTF-8 at byte {column} of the line");
            }
            Statistics.CountSkipped(CorpusSkipReason.InvalidUtf8);
        }
    }

    private InvalidDataException Misaligned(LineReader ended, LineReader longer) =>
        new($"'{sourcePath}' and '{targetPath}' are not line-aligned: '{ended.Path}' ends after line {ended.Number} "
            + $"but '{longer.Path}' goes on with line {longer.Number}");
}
