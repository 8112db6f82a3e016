using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// Segmentation and decoding on tiny hand-made models whose answers follow by hand from SentencePiece's
/// unigram_model.cc (<c>EncodeOptimized</c>), bpe_model.cc and sentencepiece_processor.cc. Types: 1 normal,
/// 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte. No dummy prefix and no normalisation rule, so the
/// pieces are the text's own characters.
/// </summary>
public class SentencePieceSegmentationTests
{
    private const int Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6;
    private const int Unigram = 1, Bpe = 2;

    private static SentencePieceProcessor Model(int type, params (string, float, int)[] pieces) =>
        SentencePieceProcessor.FromBytes(ProtobufWriter.Model(pieces, type), "hand-made");

    // Ids: 0 <unk>, 1 a, 2 b, 3 ab, 4 c, 5 abc. min_score = -10, so an unknown character scores -20.
    private static SentencePieceProcessor UnigramModel() => Model(Unigram,
        ("<unk>", 0, Unknown), ("a", -1, Normal), ("b", -1, Normal), ("ab", -1.5f, Normal), ("c", -3, Normal), ("abc", -10, Normal));

    [Theory]
    [InlineData("abc", "ab c", "3 4")]      // ab+c = -4.5 beats a+b+c = -5 and abc = -10
    [InlineData("abd", "ab d", "3 0")]      // d is unknown
    [InlineData("adda", "a dd a", "1 0 1")] // a run of unknown characters is one unknown piece
    [InlineData("dad", "d a d", "0 1 0")]   // unknown pieces merge only when adjacent
    public void Unigram_PicksTheBestScoringSplit(string text, string pieces, string ids)
    {
        var spm = UnigramModel();

        Assert.Equal(pieces, string.Join(' ', spm.EncodeToPieces(text)));
        Assert.Equal(ids, string.Join(' ', spm.Encode(text)));
    }

    [Fact]
    public void Unigram_UserDefinedPiece_WinsOverBetterScoringSplits()
    {
        // "xyz" is user-defined: it scores 3 * max_score - 0.1 = -0.1 (max_score is FLT_MIN for negative scores),
        // beating x+y+z = -3, and it is not normalised.
        var spm = Model(Unigram, ("<unk>", 0, Unknown), ("x", -1, Normal), ("y", -1, Normal), ("z", -1, Normal), ("xyz", 0, UserDefined));

        Assert.Equal(["xyz", "x"], spm.EncodeToPieces("xyzx"));
    }

    [Fact]
    public void Unigram_UnusedPiece_IsNeverProduced()
    {
        var spm = Model(Unigram, ("<unk>", 0, Unknown), ("a", -5, Normal), ("aa", -1, Unused));

        Assert.Equal(["a", "a"], spm.EncodeToPieces("aa"));
    }

    [Theory]
    [InlineData(-1f, "ab c")]    // equal scores: the leftmost pair (a,b) merges first, then "abc" is no piece
    [InlineData(-0.5f, "a bc")]  // a higher score wins wherever it is
    public void Bpe_MergesTheHighestScoringPair_LeftmostOnTies(float bcScore, string expected)
    {
        var spm = Model(Bpe, ("<unk>", 0, Unknown), ("ab", -1, Normal), ("bc", bcScore, Normal),
            ("a", -2, Normal), ("b", -2, Normal), ("c", -2, Normal));

        Assert.Equal(expected, string.Join(' ', spm.EncodeToPieces("abc")));
    }

    [Fact]
    public void Bpe_MergeIntoAnUnusedPiece_IsUndone_UnlessItMergesFurther()
    {
        var undone = Model(Bpe, ("<unk>", 0, Unknown), ("ab", -1, Unused), ("a", -2, Normal), ("b", -2, Normal));
        var kept = Model(Bpe, ("<unk>", 0, Unknown), ("ab", -1, Unused), ("abc", -1.5f, Normal),
            ("a", -2, Normal), ("b", -2, Normal), ("c", -2, Normal));

        Assert.Equal(["a", "b"], undone.EncodeToPieces("ab"));
        Assert.Equal(["abc"], kept.EncodeToPieces("abc"));
    }

    [Fact]
    public void Bpe_UserDefinedSymbol_IsNeverMergedWithItsNeighbours()
    {
        var spm = Model(Bpe, ("<unk>", 0, Unknown), ("<sep>", 0, UserDefined), ("a<", -1, Normal),
            ("a", -2, Normal), ("<", -2, Normal));

        Assert.Equal(["a", "<sep>", "a<"], spm.EncodeToPieces("a<sep>a<"));
    }

    [Fact]
    public void ByteFallback_SpellsAnUnknownCharacterInBytePieces_AndDecodingReassemblesIt()
    {
        // Ids: 0 <unk>, 1..256 <0x00>..<0xFF>, 257 a. "é" is C3 A9 in UTF-8.
        var pieces = new List<(string, float, int)> { ("<unk>", 0, Unknown) };
        pieces.AddRange(Enumerable.Range(0, 256).Select(b => ($"<0x{b:X2}>", 0f, Byte)));
        pieces.Add(("a", -1, Normal));
        var spm = SentencePieceProcessor.FromBytes(ProtobufWriter.Model(pieces, Unigram, byteFallback: true), "bytes");

        Assert.Equal(["a", "<0xC3>", "<0xA9>"], spm.EncodeToPieces("aé"));
        Assert.Equal([257, 1 + 0xC3, 1 + 0xA9], spm.Encode("aé"));
        Assert.Equal("aé", spm.Decode([257, 1 + 0xC3, 1 + 0xA9]));
        Assert.Equal("\uFFFDa", spm.Decode([1 + 0xFF, 257]));     // a malformed byte decodes to U+FFFD
    }

    [Fact]
    public void Decode_DropsControlPieces_WritesUnknownAsTheSurface_AndStripsOneDummySpace()
    {
        // Ids: 0 <unk>, 1 </s>, 2 ▁hello, 3 ▁world, 4 ▁.
        var spm = SentencePieceProcessor.FromBytes(ProtobufWriter.Model(
            [("<unk>", 0, Unknown), ("</s>", 0, Control), ("▁hello", -1, Normal), ("▁world", -1, Normal), ("▁", -2, Normal)],
            Unigram, addDummyPrefix: true), "decode");

        Assert.Equal(["▁hello", "▁world"], spm.EncodeToPieces("  hello   world "));
        Assert.Equal("hello world", spm.Decode([2, 3, 1]));
        Assert.Equal("hello \u2047  world", spm.Decode([2, 0, 3]));   // the surface " ⁇ " keeps its spaces
        Assert.Equal("hello", spm.Decode([1, 4, 2]));       // while the text is empty, each piece loses a leading ▁
        Assert.Equal(1, spm.EosId);
        Assert.Equal(-1, spm.BosId);
        Assert.Throws<ArgumentOutOfRangeException>(() => spm.Decode([5]));
    }
}
