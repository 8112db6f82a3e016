namespace EncDec.Data;

/// <summary>Opens parallel corpora. Files may be plain UTF-8 or gzip (recognised by their magic bytes, whatever the
/// name); "\n" and "\r\n" both end lines, and a leading UTF-8 byte order mark is dropped.</summary>
/// <example><code>
/// var train = ParallelCorpus.Open("train.en.gz", "train.de.gz");
/// foreach (var pair in train.Read()) Console.WriteLine($"{pair.Source} ||| {pair.Target}");
/// Console.WriteLine(train.Statistics);    // "29000 read, 0 skipped"
/// </code></example>
public static class ParallelCorpus
{
    /// <summary>Two line-aligned files: line n of <paramref name="targetPath"/> translates line n of
    /// <paramref name="sourcePath"/>. Pairs carry the source file's name and line.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static IParallelCorpus Open(string sourcePath, string targetPath, CorpusReadOptions? options = null) =>
        new AlignedFilesCorpus(RequireFile(sourcePath), RequireFile(targetPath), Checked(options));

    /// <summary>One file of "source \t target" lines (exactly one tab a line).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IParallelCorpus OpenTsv(string path, CorpusReadOptions? options = null) =>
        new TsvCorpus(RequireFile(path), Checked(options));

    /// <summary>One file of JSON objects, one a line, whose <see cref="CorpusReadOptions.SourceField"/> and
    /// <see cref="CorpusReadOptions.TargetField"/> are strings; other fields are ignored.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IParallelCorpus OpenJsonl(string path, CorpusReadOptions? options = null) =>
        new JsonlCorpus(RequireFile(path), Checked(options));

    /// <summary>Pairs in memory; each <see cref="IParallelCorpus.Read"/> enumerates <paramref name="pairs"/> again
    /// (lazily, so a generated sequence is never materialised).</summary>
    /// <param name="pairs">The pairs; a null sentence throws when reached, naming its position.</param>
    /// <param name="description">Names the corpus in pairs and errors.</param>
    public static IParallelCorpus FromPairs(IEnumerable<(string Source, string Target)> pairs, string description = "<memory>")
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return new MemoryCorpus(pairs, description);
    }

    private static CorpusReadOptions Checked(CorpusReadOptions? options)
    {
        options ??= new CorpusReadOptions();
        options.Validate();
        return options;
    }

    private static string RequireFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException(Directory.Exists(path) ? $"'{path}' is a folder, not a corpus file" : $"corpus file '{path}' does not exist", path);
        return path;
    }
}
