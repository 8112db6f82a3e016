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

    private static List<string> ReadStream(byte[] bytes, LineSplitting splitting, int bufferSize = 4, int maxLineBytes = LineReader.MaxLineBytes)
    {
        using var reader = LineReader.FromStream(new MemoryStream(bytes), "in.txt", splitting, bufferSize, maxLineBytes);
        var lines = new List<string>();
        while (reader.MoveNext())
        {
            lines.Add(Encoding.UTF8.GetString(reader.Line));
            Assert.Equal(lines.Count, reader.Number);
        }
        return lines;
    }

    [Fact]
    public void RawSplitting_EndsLinesAtNewlineOnly_KeepingCarriageReturnsAndTheByteOrderMark()
    {
        byte[] text = [0xEF, 0xBB, 0xBF, .. "a\r\n\nbcdefghij\nk"u8];
        Assert.Equal(["\uFEFFa\r", "", "bcdefghij", "k"], ReadStream(text, LineSplitting.Raw));
        Assert.Equal(["a", "", "bcdefghij", "k"], ReadStream(text, LineSplitting.Text));
        Assert.Equal(["a"], ReadStream("a\n"u8.ToArray(), LineSplitting.Raw));
        Assert.Empty(ReadStream([], LineSplitting.Raw));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void FromStream_ALineOfExactlyTheLimit_IsRead_AndALongerOneIsAnErrorNamingTheInputAsGiven(int bufferSize)
    {
        string limit = new('x', 20);
        foreach (var splitting in new[] { LineSplitting.Raw, LineSplitting.Text })
        {
            Assert.Equal(["ab", limit, limit], ReadStream(Encoding.UTF8.GetBytes($"ab\n{limit}\n{limit}"), splitting, bufferSize, 20));
            foreach (string text in new[] { $"ab\n{limit}x\nc\n", $"ab\n{limit}{limit}{limit}" })
            {
                var error = Assert.Throws<InvalidDataException>(() => ReadStream(Encoding.UTF8.GetBytes(text), splitting, bufferSize, 20));
                Assert.Equal("in.txt line 2 is longer than 20 bytes", error.Message);
            }
        }
    }

    [Fact]
    public void RawSplitting_CountsACarriageReturnInTheLinesLength()
    {
        string limit = new('x', 20);
        Assert.Equal([limit], ReadStream(Encoding.UTF8.GetBytes($"{limit}\r\n"), LineSplitting.Text, maxLineBytes: 20));
        var error = Assert.Throws<InvalidDataException>(() =>
            ReadStream(Encoding.UTF8.GetBytes($"{limit}\r\n"), LineSplitting.Raw, maxLineBytes: 20));
        Assert.Equal("in.txt line 1 is longer than 20 bytes", error.Message);
    }

    [Fact]
    public void FromStream_LeavesTheStreamOpen_AndOpenClosesItsFile()
    {
        var stream = new MemoryStream("a\n"u8.ToArray());
        using (var reader = LineReader.FromStream(stream, "<stdin>")) Assert.True(reader.MoveNext());
        Assert.True(stream.CanRead);

        string path = files.Write("closed", "a\n");
        using (var reader = LineReader.Open(path))
        {
            Assert.True(reader.MoveNext());
            Assert.Throws<IOException>(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None).Dispose());
        }
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None).Dispose();   // closed: exclusive access works
    }

    [Fact]
    public void DecodeStrict_NamesTheInputLineAndByte_AndTheReadersDecodeLineAndCheckLineAgreeWithIt()
    {
        byte[] bad = [.. "ab"u8, 0xC3, 0x28];
        var error = Assert.Throws<InvalidDataException>(() => LineReader.DecodeStrict(bad, 7, "<stdin>"));
        Assert.Equal("<stdin> line 7 is not valid UTF-8 (byte 3 of the line)", error.Message);
        using (var reader = LineReader.FromStream(new MemoryStream([.. "1\n2\n3\n4\n5\né€\n"u8, .. bad, .. "\n"u8]), "<stdin>"))
        {
            for (int line = 1; line <= 6; line++) Assert.True(reader.MoveNext());
            reader.CheckLine();
            Assert.Equal("é€", reader.DecodeLine());
            Assert.True(reader.MoveNext());
            Assert.Equal(error.Message, Assert.Throws<InvalidDataException>(() => reader.CheckLine()).Message);
            Assert.Equal(error.Message, Assert.Throws<InvalidDataException>(() => reader.DecodeLine()).Message);
        }
        Assert.Equal("é€", LineReader.DecodeStrict("é€"u8, 1, "<stdin>"));
        Assert.Equal("", LineReader.DecodeStrict([], 1, "<stdin>"));
    }

    [Fact]
    public void Open_AMissingFileOrADirectory_IsAnErrorSayingWhich()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"encdec-missing-{Guid.NewGuid():N}.txt");
        var error = Assert.Throws<FileNotFoundException>(() => LineReader.Open(missing));
        Assert.Equal($"'{missing}' does not exist", error.Message);

        string folder = Path.GetDirectoryName(files.Write("inside", "a\n"))!;
        error = Assert.Throws<FileNotFoundException>(() => LineReader.Open(folder));
        Assert.Equal($"'{folder}' is a directory, not a file", error.Message);
    }
}
