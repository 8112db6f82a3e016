using EncDec.Data;

namespace EncDec.Tests.Data;

public sealed class JsonlCorpusTests : IDisposable
{
    private readonly CorpusFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Objects_GiveTheirSourceAndTargetFields_OtherFieldsIgnored()
    {
        string path = files.Write("train.jsonl",
            "{\"id\": 1, \"source\": \"a \\\"dog\\\"\", \"meta\": {\"x\": [1, 2]}, \"target\": \"ein Hund\\n\"}\n"
            + "{\"target\": \"caf\\u00e9\", \"source\": \"coffee\"}\r\n");
        var pairs = ParallelCorpus.OpenJsonl(path).Read().ToList();
        Assert.Equal([("a \"dog\"", "ein Hund\n"), ("coffee", "café")], pairs.Select(p => (p.Source, p.Target)));
        Assert.Equal([1L, 2], pairs.Select(p => p.Line));
    }

    [Fact]
    public void FieldNames_ComeFromTheOptions()
    {
        string path = files.Write("bbc.jsonl.gz", "{\"article\": \"long text\", \"summary\": \"short\", \"source\": 3}\n", gzip: true);
        var corpus = ParallelCorpus.OpenJsonl(path, new CorpusReadOptions(SourceField: "article", TargetField: "summary"));
        Assert.Equal(("long text", "short"), corpus.Read().Select(p => (p.Source, p.Target)).Single());
    }

    [Theory]
    [InlineData("{\"source\": \"a\", \"target\": ", "malformed JSON at byte 27: ")]
    [InlineData("[\"a\", \"b\"]", "not a JSON object")]
    [InlineData("", "empty line")]
    [InlineData("{\"source\": \"a\", \"target\": \"b\"} {}", "malformed JSON at byte 32: ")]
    [InlineData("{\"source\": \"a\"}", "no \"target\" field")]
    [InlineData("{\"target\": \"b\"}", "no \"source\" field")]
    [InlineData("{\"source\": 12, \"target\": \"b\"}", "\"source\" is a number, not a string")]
    [InlineData("{\"source\": \"a\", \"target\": null}", "\"target\" is null, not a string")]
    public void MalformedLine_NamesFileLineAndProblem(string badLine, string problem)
    {
        string path = files.Write("data.jsonl", "{\"source\": \"x\", \"target\": \"y\"}\n" + badLine + "\n{\"source\": \"x\", \"target\": \"y\"}\n");
        var error = Assert.Throws<InvalidDataException>(() => ParallelCorpus.OpenJsonl(path).Read().ToList());
        Assert.Contains("data.jsonl' line 2", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);   // the JSON reader's own position, in its terms
    }

    [Fact]
    public void SkipInvalid_SkipsAndCountsByReason()
    {
        string path = files.Write("data.jsonl", [.. """
            {"source": "a", "target": "b"}
            not json
            {"source": "a"}
            {"source": ["a"], "target": "b"}
            {"source": "c", "target": "d"}
            {"source": "
            """u8, 0xFF, .. "\", \"target\": \"x\"}\n"u8]);
        var corpus = ParallelCorpus.OpenJsonl(path, new CorpusReadOptions(SkipInvalid: true));

        var pairs = corpus.Read().ToList();

        Assert.Equal([("a", "b"), ("c", "d")], pairs.Select(p => (p.Source, p.Target)));
        Assert.Equal([1L, 5], pairs.Select(p => p.Line));
        Assert.Equal(6, corpus.Statistics.Read);
        Assert.Equal(4, corpus.Statistics.Skipped);
        var reasons = corpus.Statistics.SkippedByReason;
        Assert.Equal(1, reasons[CorpusSkipReason.MalformedJson]);
        Assert.Equal(1, reasons[CorpusSkipReason.MissingField]);
        Assert.Equal(1, reasons[CorpusSkipReason.NonStringField]);
        Assert.Equal(1, reasons[CorpusSkipReason.InvalidUtf8]);
    }

    [Fact]
    public void SameFieldForBothSides_IsRejectedByValidate()
    {
        string path = files.Write("data.jsonl", "{}\n");
        var error = Assert.Throws<ArgumentException>(() => ParallelCorpus.OpenJsonl(path, new CorpusReadOptions(SourceField: "text", TargetField: "text")));
        Assert.Contains("'text'", error.Message);
    }
}
