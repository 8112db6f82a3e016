using System.Text;
using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// The normaliser (normalizer.cc) on a hand-made rule and on T5's <c>nmt_nfkc</c> rule, whose golden output is
/// <c>spm_normalize --model=spiece.model --use_internal_normalization</c> (SentencePiece 0.1.97).
/// </summary>
public class SentencePieceNormalizerTests
{
    // The rule {"A" -> "a", "AB" -> "x y"}: replacement strings "a\0" at 0 and "x y\0" at 2.
    private static SentencePieceProcessor HandMade(bool addDummyPrefix)
    {
        var units = DoubleArrayTrieTests.TwoKeyUnits((byte)'A', (byte)'B', 0, 2);
        byte[] charsMap = DoubleArrayTrieTests.CharsMap(units, Encoding.ASCII.GetBytes("a\0x y\0"));
        return SentencePieceProcessor.FromBytes(
            ProtobufWriter.Model([("<unk>", 0, 2), ("a", -1, 1)], 1, addDummyPrefix, charsMap), "rule");
    }

    [Theory]
    [InlineData("A", "a")]
    [InlineData("AB", "x▁y")]            // the longest rule wins, and its space is escaped
    [InlineData("AAB", "ax▁y")]
    [InlineData("  c  AB  ", "c▁x▁y")]   // leading/trailing spaces dropped, a run of spaces becomes one
    [InlineData("c AB", "c▁x▁y")]
    [InlineData("B", "B")]               // no rule: copied
    [InlineData("   ", "")]
    public void Normalize_AppliesTheLongestRule_ThenTheWhitespaceRules(string text, string expected) =>
        Assert.Equal(expected, HandMade(addDummyPrefix: false).Normalize(text));

    [Fact]
    public void Normalize_PutsTheDummySpaceFirst()
    {
        Assert.Equal("▁x▁y", HandMade(addDummyPrefix: true).Normalize("AB"));
        Assert.Equal("", HandMade(addDummyPrefix: true).Normalize("  "));
    }

    [Fact]
    public void Normalize_MalformedUtf8_IsOneReplacementCharacterPerByte()
    {
        var spm = HandMade(addDummyPrefix: false);

        Assert.Equal(["a", "\uFFFD\uFFFD", "a"], spm.EncodeUtf8ToPieces([(byte)'a', 0xC3, 0xFF, (byte)'a']));
    }

    [SharedDataFact(T5ModelFixture.ModelPath)]
    public void T5Rule_MatchesSpmNormalize()
    {
        var spm = SentencePieceProcessor.Load(SharedDataFactAttribute.Require(T5ModelFixture.ModelPath));

        Assert.Equal("▁full▁1fi▁平成▁é", spm.Normalize("  ｆｕｌｌ  ①ﬁ ㍻ e\u0301"));
    }
}
