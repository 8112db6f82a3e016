using System.Text;
using EncDec.Data;

namespace EncDec.Tests.Data;

public sealed class AlignedFilesCorpusTests : IDisposable
{
    private readonly CorpusFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void PlainFiles_YieldLineAlignedPairs_WithSourceFileAndLine()
    {
        string source = files.Write("train.en", "a dog\nthe cat\n\nbirds fly\n");
        string target = files.Write("train.de", "ein Hund\ndie Katze\n\nVögel fliegen\n");
        var corpus = ParallelCorpus.Open(source, target);

        var pairs = corpus.Read().ToList();

        Assert.Equal(["a dog", "the cat", "", "birds fly"], pairs.Select(p => p.Source));
        Assert.Equal(["ein Hund", "die Katze", "", "Vögel fliegen"], pairs.Select(p => p.Target));
        Assert.Equal([1L, 2, 3, 4], pairs.Select(p => p.Line));
        Assert.All(pairs, p => Assert.Equal(source, p.File));
        Assert.Equal(4, corpus.Statistics.Read);
        Assert.Equal(0, corpus.Statistics.Skipped);
        Assert.Contains("train.en", corpus.Description);
        Assert.Contains("train.de", corpus.Description);
    }

    [Fact]
    public void GzipFiles_AreRecognisedByMagicBytes_NotByName()
    {
        string source = files.Write("source.txt", "one\ntwo\n", gzip: true);        // gzip without .gz
        string target = files.Write("target.gz", "eins\nzwei\n");                    // plain with .gz
        var pairs = ParallelCorpus.Open(source, target).Read().ToList();
        Assert.Equal([("one", "eins"), ("two", "zwei")], pairs.Select(p => (p.Source, p.Target)));
    }

    [Fact]
    public void CrLfEndings_ByteOrderMark_AndMissingFinalNewline_AreHandled()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        string source = files.Write("s", [.. bom, .. "first\r\nsecond\r\n"u8]);
        string target = files.Write("t", "erste\nzweite", gzip: true);
        var pairs = ParallelCorpus.Open(source, target).Read().ToList();
        Assert.Equal([("first", "erste"), ("second", "zweite")], pairs.Select(p => (p.Source, p.Target)));
    }

    [Fact]
    public void TargetEndingFirst_NamesBothFilesAndTheLine()
    {
        string source = files.Write("s.txt", "a\nb\nc\n");
        string target = files.Write("t.txt", "x\ny\n");
        var error = Assert.Throws<InvalidDataException>(() => ParallelCorpus.Open(source, target).Read().ToList());
        Assert.Contains("t.txt' ends after line 2 but '", error.Message);
        Assert.Contains("s.txt' goes on with line 3", error.Message);
    }

    [Fact]
    public void SourceEndingFirst_NamesBothFilesAndTheLine()
    {
        string source = files.Write("s.txt", "a\nb\n");
        string target = files.Write("t.txt", "x\ny\nz\nw\n");
        var error = Assert.Throws<InvalidDataException>(() => ParallelCorpus.Open(source, target).Read().ToList());
        Assert.Contains("s.txt' ends after line 2 but '", error.Message);
        Assert.Contains("t.txt' goes on with line 3", error.Message);
    }

    [Fact]
    public void MisalignedFiles_ThrowEvenWithSkipInvalid()
    {
        string source = files.Write("s", "a\nb\n");
        string target = files.Write("t", "x\n");
        var corpus = ParallelCorpus.Open(source, target, new CorpusReadOptions(SkipInvalid: true));
        var error = Assert.Throws<InvalidDataException>(() => corpus.Read().ToList());
        Assert.Contains("not line-aligned", error.Message);
    }

    [Fact]
    public void InvalidUtf8_NamesFileLineAndByte()
    {
        string source = files.Write("s.en", "fine\nalso fine\n");
        string target = files.Write("t.de", [.. "gut\n"u8, .. "ab"u8, 0xC3, 0x28, .. "\n"u8]);
        var error = Assert.Throws<InvalidDataException>(() => ParallelCorpus.Open(source, target).Read().ToList());
        Assert.Contains("t.de' line 2", error.Message);
        Assert.Contains("byte 3", error.Message);
        Assert.DoesNotContain("s.en", error.Message);
    }

    [Fact]
    public void InvalidUtf8_WithSkipInvalid_SkipsThePairAndCountsIt()
    {
        string source = files.Write("s", [.. "one\n"u8, 0xFF, .. "\nthree\n"u8]);
        string target = files.Write("t", "eins\nzwei\ndrei\n");
        var corpus = ParallelCorpus.Open(source, target, new CorpusReadOptions(SkipInvalid: true));

        var pairs = corpus.Read().ToList();

        Assert.Equal(["one", "three"], pairs.Select(p => p.Source));
        Assert.Equal([1L, 3], pairs.Select(p => p.Line));
        Assert.Equal(3, corpus.Statistics.Read);
        Assert.Equal(1, corpus.Statistics.Skipped);
        Assert.Equal(2, corpus.Statistics.Yielded);
        Assert.Equal(1, corpus.Statistics.SkippedByReason[CorpusSkipReason.InvalidUtf8]);
    }

    [Fact]
    public void Read_IsRestartable_AndEachPassResetsTheStatistics()
    {
        var corpus = ParallelCorpus.Open(files.Write("s", "a\nb\n"), files.Write("t", "x\ny\n"));
        var first = corpus.Read().ToList();
        var second = corpus.Read().ToList();
        Assert.Equal(first, second);
        Assert.Equal(2, corpus.Statistics.Read);
    }

    [Fact]
    public void MissingFile_ThrowsWhenOpened_NamingIt()
    {
        string target = files.Write("t", "x\n");
        var error = Assert.Throws<FileNotFoundException>(() => ParallelCorpus.Open(files.PathOf("nope.en"), target));
        Assert.Contains("nope.en", error.Message);
    }

    [Fact]
    public void CorruptGzip_NamesTheFile()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i} {i * 7919 % 1000}\n")));
        string path = files.Write("bad.gz", text, gzip: true);
        byte[] bytes = File.ReadAllBytes(path);
        for (int i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        string target = files.Write("t", text);
        var error = Assert.ThrowsAny<InvalidDataException>(() => ParallelCorpus.Open(path, target).Read().ToList());
        Assert.Contains("bad.gz", error.Message);
    }
}
