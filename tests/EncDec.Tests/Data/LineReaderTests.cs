using System.Text;
using EncDec.Data;

namespace EncDec.Tests.Data;

public sealed class LineReaderTests : IDisposable
{
    private readonly CorpusFiles files = new();

    public void Dispose() => files.Dispose();

    private static readonly string[] Pieces = ["a", "b", " ", "é", "€", "😀", "\r"];

    // The naive reference: the whole text split at "\n", a trailing "\r" and a leading BOM dropped.
    private static List<string> NaiveLines(string text)
    {
        if (text.StartsWith('\uFEFF')) text = text[1..];
        var lines = text.Split('\n').ToList();
        if (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines.Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(7, true)]
    [InlineData(64, false)]
    [InlineData(65536, true)]
    public void Lines_MatchTheNaiveSplit_WhateverTheBufferSize(int bufferSize, bool gzip)
    {
        var random = new Random(bufferSize);
        var text = new StringBuilder("\uFEFF");
        for (int i = 0; i < 300; i++)
        {
            int length = random.Next(4) == 0 ? random.Next(100, 400) : random.Next(0, 12);
            for (int c = 0; c < length; c++) text.Append(Pieces[random.Next(Pieces.Length)]);
            text.Append(random.Next(3) == 0 ? "\r\n" : "\n");
        }
        text.Append("last line without newline");
        string path = files.Write("lines", text.ToString(), gzip);

        var lines = new List<string>();
        using (var reader = LineReader.Open(path, bufferSize))
        {
            while (reader.MoveNext())
            {
                Assert.True(LineReader.TryDecode(reader.Line, out string? line, out _));
                lines.Add(line!);
                Assert.Equal(lines.Count, reader.Number);
            }
        }
        Assert.Equal(NaiveLines(text.ToString()), lines);
    }

    [Fact]
    public void EmptyFile_HasNoLine_AndALoneNewlineHasOneEmptyLine()
    {
        using (var empty = LineReader.Open(files.Write("empty", "")))
            Assert.False(empty.MoveNext());
        using var one = LineReader.Open(files.Write("one", "\n"));
        Assert.True(one.MoveNext());
        Assert.True(one.Line.IsEmpty);
        Assert.False(one.MoveNext());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(64)]
    public void ALineOfExactlyTheLimit_IsRead_AndALongerOneIsAnErrorNamingFileAndLine(int bufferSize)
    {
        string limit = new('x', 20), over = new('y', 21);
        string ok = files.Write("ok", $"a\r\n{limit}\r\n{limit}\n{limit}");
        using (var reader = LineReader.Open(ok, bufferSize, maxLineBytes: 20))
        {
            var lines = new List<string>();
            while (reader.MoveNext()) lines.Add(Encoding.UTF8.GetString(reader.Line));
            Assert.Equal(["a", limit, limit, limit], lines);
        }
        foreach (string text in new[] { $"a\n{over}\nb\n", $"a\n{over}\r\n", $"a\n{over}{over}{over}" })
        {
            string path = files.Write("over", text);
            using var reader = LineReader.Open(path, bufferSize, maxLineBytes: 20);
            Assert.True(reader.MoveNext());
            var error = Assert.Throws<InvalidDataException>(() => reader.MoveNext());
            Assert.Equal($"'{path}' line 2 is longer than 20 bytes", error.Message);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xFF }, 2)]
    [InlineData(new byte[] { 0xC3, 0xA9, 0x61, 0xE2, 0x82 }, 4)]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 1)]           // an encoded surrogate is not UTF-8
    public void TryDecode_ReportsTheFirstInvalidByte(byte[] bytes, int column)
    {
        Assert.False(LineReader.TryDecode(bytes, out string? text, out int invalid));
        Assert.Null(text);
        Assert.Equal(column, invalid);
    }
}
