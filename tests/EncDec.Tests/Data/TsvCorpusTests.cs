using EncDec.Data;

namespace EncDec.Tests.Data;

public sealed class TsvCorpusTests : IDisposable
{
    private readonly CorpusFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Lines_SplitAtTheTab_WithFileAndLine()
    {
        string path = files.Write("train.tsv", "a dog\tein Hund\r\n\t\nthe cat\tdie Katze");
        var pairs = ParallelCorpus.OpenTsv(path).Read().ToList();
        Assert.Equal([("a dog", "ein Hund"), ("", ""), ("the cat", "die Katze")], pairs.Select(p => (p.Source, p.Target)));
        Assert.Equal([1L, 2, 3], pairs.Select(p => p.Line));
        Assert.All(pairs, p => Assert.Equal(path, p.File));
    }

    [Fact]
    public void GzipTsv_IsRead()
    {
        string path = files.Write("train.tsv.gz", "x\ty\nz\tw\n", gzip: true);
        Assert.Equal([("x", "y"), ("z", "w")], ParallelCorpus.OpenTsv(path).Read().Select(p => (p.Source, p.Target)));
    }

    [Theory]
    [InlineData("no tab here", 0)]
    [InlineData("one\ttwo\tthree", 2)]
    public void LineWithoutExactlyOneTab_NamesFileAndLine(string badLine, int tabs)
    {
        string path = files.Write("data.tsv", $"a\tb\nc\td\n{badLine}\ne\tf\n");
        var error = Assert.Throws<InvalidDataException>(() => ParallelCorpus.OpenTsv(path).Read().ToList());
        Assert.Contains("data.tsv' line 3", error.Message);
        Assert.Contains($"found {tabs}", error.Message);
    }

    [Fact]
    public void InvalidUtf8_NamesFileLineAndByte()
    {
        string path = files.Write("data.tsv", [.. "a\tb\n"u8, .. "xy\t"u8, 0xE2, 0x82, .. "\n"u8]);
        var error = Assert.Throws<InvalidDataException>(() => ParallelCorpus.OpenTsv(path).Read().ToList());
        Assert.Contains("data.tsv' line 2", error.Message);
        Assert.Contains("byte 4", error.Message);
    }

    [Fact]
    public void SkipInvalid_SkipsAndCountsByReason()
    {
        string path = files.Write("data.tsv", [.. "a\tb\nnotab\n"u8, 0xFF, .. "\tx\nc\td\ne\tf\tg\n"u8]);
        var corpus = ParallelCorpus.OpenTsv(path, new CorpusReadOptions(SkipInvalid: true));

        var pairs = corpus.Read().ToList();

        Assert.Equal([("a", "b"), ("c", "d")], pairs.Select(p => (p.Source, p.Target)));
        Assert.Equal([1L, 4], pairs.Select(p => p.Line));
        Assert.Equal(5, corpus.Statistics.Read);
        Assert.Equal(3, corpus.Statistics.Skipped);
        Assert.Equal(2, corpus.Statistics.SkippedByReason[CorpusSkipReason.TabCount]);
        Assert.Equal(1, corpus.Statistics.SkippedByReason[CorpusSkipReason.InvalidUtf8]);
    }
}
