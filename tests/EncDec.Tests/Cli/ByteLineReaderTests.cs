using System.Text;
using EncDec.Cli;
using EncDec.Cli.Commands;
using EncDec.Data;

namespace EncDec.Tests.Cli;

/// <summary><see cref="ByteLineReader"/>: lines split at '\n' only, its buffer growing to the longest line, and a line
/// over the limit an error naming the input and the line.</summary>
public class ByteLineReaderTests
{
    private static List<string> ReadAll(string text, int maxLineBytes = LineReader.MaxLineBytes, int initialBufferSize = 4)
    {
        var reader = new ByteLineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), "in.txt", maxLineBytes, initialBufferSize);
        var lines = new List<string>();
        while (reader.TryReadLine(out var line)) lines.Add(Encoding.UTF8.GetString(line));
        return lines;
    }

    [Fact]
    public void Lines_SplitAtNewlineOnly_KeepingCarriageReturns_AndALastLineWithoutNewline()
    {
        Assert.Equal(["a\r", "", "bcdefghij", "k"], ReadAll("a\r\n\nbcdefghij\nk"));
        Assert.Equal(["a"], ReadAll("a\n"));
        Assert.Empty(ReadAll(""));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void ALineOfExactlyTheLimit_IsRead_WhateverTheStartingBuffer(int initialBufferSize)
    {
        string longest = new('x', 20);
        Assert.Equal(["ab", longest, longest], ReadAll($"ab\n{longest}\n{longest}", maxLineBytes: 20, initialBufferSize));
    }

    [Theory]
    [InlineData("ab\nxxxxxxxxxxxxxxxxxxxxx\nc\n")]
    [InlineData("ab\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public void ALineOverTheLimit_IsAnErrorNamingTheInputAndTheLine(string text)
    {
        var error = Assert.Throws<CliDataException>(() => ReadAll(text, maxLineBytes: 20));
        Assert.Equal("in.txt line 2 is longer than 20 bytes", error.Message);
    }
}
