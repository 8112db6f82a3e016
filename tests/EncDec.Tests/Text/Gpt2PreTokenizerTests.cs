using System.Text;
using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// GPT-2's pre-tokenisation: the hand-written scanner cuts text exactly where .NET's <see cref="System.Text.RegularExpressions.Regex"/>
/// running GPT-2's pattern does, on every Multi30k line and on hard lines, and treats letters outside the Basic
/// Multilingual Plane as letters, as Oniguruma (used by Hugging Face tokenizers) does.
/// </summary>
public class Gpt2PreTokenizerTests
{
    private static string[] RegexSplit(string text) =>
        [.. ReferenceBpe.Gpt2Pattern.Matches(text).Select(m => m.Value)];

    [Theory]
    // Examples from Hugging Face tokenizers' byte_level.rs tests, and the regex's corner cases.
    [InlineData("Hello my friend, how is your day going?", new[] { "Hello", " my", " friend", ",", " how", " is", " your", " day", " going", "?" })]
    [InlineData("Hello there\nHello there", new[] { "Hello", " there", "\n", "Hello", " there" })]
    [InlineData("Hello there       dear", new[] { "Hello", " there", "      ", " dear" })]
    [InlineData("it's I'm we're they've he'll she'd 'S", new[] { "it", "'s", " I", "'m", " we", "'re", " they", "'ve", " he", "'ll", " she", "'d", " '", "S" })]
    [InlineData("  a\n\nb  ", new[] { " ", " a", "\n", "\n", "b", "  " })]
    [InlineData("x\t y", new[] { "x", "\t", " y" })]
    [InlineData("3.14 1,000 ²³", new[] { "3", ".", "14", " 1", ",", "000", " ²³" })]
    [InlineData("?!... --- ''", new[] { "?!...", " ---", " ''" })]
    [InlineData("", new string[0])]
    [InlineData(" ", new[] { " " })]
    public void Split_GivesGpt2Pieces(string text, string[] expected)
    {
        Assert.Equal(expected, Gpt2PreTokenizer.Split(text));
        Assert.Equal(expected, RegexSplit(text));
    }

    [SharedDataFact("multi30k")]
    public void Multi30k_SplitsAsTheRegexDoes_OnEveryLine()
    {
        int lines = 0;
        foreach (string file in SentencePieceParity.Multi30kFiles)
        {
            foreach (byte[] utf8 in SentencePieceCli.ReadGzipLines(file))
            {
                string line = Encoding.UTF8.GetString(utf8);
                Assert.Equal(RegexSplit(line), Gpt2PreTokenizer.Split(line));
                lines++;
            }
        }
        Assert.Equal(8056, lines);
    }

    [Fact]
    public void HardLines_SplitAsTheRegexDoes_WhereAllLettersAreInTheBmp()
    {
        foreach (string line in SentencePieceParity.HardLines)
        {
            if (line.Any(char.IsSurrogate)) continue;   // emoji, hieroglyphs, lone surrogates: see the tests below
            Assert.Equal(RegexSplit(line), Gpt2PreTokenizer.Split(line));
        }
    }

    [Fact]
    public void LettersOutsideTheBmp_AreLetters()
    {
        // .NET's \p{L} sees the two surrogates of 𝐀 (U+1D400) as non-letters and would cut "math𝐀" in two.
        Assert.Equal(["math𝐀𝐁", " 𐌰𐌱"], Gpt2PreTokenizer.Split("math𝐀𝐁 𐌰𐌱"));
        Assert.Equal([" 😀👍", " x"], Gpt2PreTokenizer.Split(" 😀👍 x"));      // emoji are symbols
        Assert.Equal(["a", "\uD800", " b"], Gpt2PreTokenizer.Split("a\uD800 b"));  // a lone surrogate is a symbol
    }

    [Fact]
    public void Pieces_AlwaysCoverTheWholeText()
    {
        var random = new Random(7);
        string alphabet = "ab 1'\t\n.é𝐀😀\u00A0s";
        for (int trial = 0; trial < 2000; trial++)
        {
            var text = new StringBuilder();
            int length = random.Next(0, 12);
            for (int i = 0; i < length; i++)
            {
                int at = random.Next(alphabet.Length);
                text.Append(char.IsHighSurrogate(alphabet[at]) ? alphabet.Substring(at, 2) : char.IsLowSurrogate(alphabet[at]) ? "x" : alphabet[at].ToString());
            }
            var pieces = Gpt2PreTokenizer.Split(text.ToString());
            Assert.Equal(text.ToString(), string.Concat(pieces));
            Assert.DoesNotContain("", pieces);
        }
    }
}
