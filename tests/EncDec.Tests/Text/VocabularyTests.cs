using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>A <see cref="Vocabulary"/> as a tokenizer: ids both ways, unknown tokens, and decoding, at the word and
/// at the character level.</summary>
public class VocabularyTests
{
    private static readonly Vocabulary Words = new(["<pad>", "<s>", "</s>", "<unk>", "a", "dog", "runs", "<2fr>"]);

    [Fact]
    public void SpecialTokens_AreFoundByName()
    {
        Assert.Equal((0, 1, 2, 3), (Words.PadId, Words.BosId, Words.EosId, Words.UnknownId));
        Assert.Equal(8, Words.VocabularySize);
        Assert.True(Words.IsControl(2));
        Assert.False(Words.IsControl(3));    // unk is text: it stays when decoding
        var t5Style = new Vocabulary(["<pad>", "</s>", "<unk>", "x"], specials: SpecialTokens.T5);
        Assert.Equal((0, -1, 1, 2), (t5Style.PadId, t5Style.BosId, t5Style.EosId, t5Style.UnknownId));
    }

    [Fact]
    public void Encode_MapsUnknownWordsToUnk()
    {
        Assert.Equal([4, 5, 6], Words.Encode("a dog runs"));
        Assert.Equal([4, 3, 6], Words.Encode("  a\tcat   runs\n"));
        Assert.Equal(["a", "<unk>", "runs"], Words.EncodeToPieces("a cat runs"));
        Assert.Equal([7, 4, 5], Words.Encode("<2fr> a dog"));     // a language tag is an ordinary word
        Assert.Empty(Words.Encode("   "));
    }

    [Fact]
    public void Encode_UnknownWordWithoutUnk_Throws()
    {
        var noUnk = new Vocabulary(["a", "dog"], specials: SpecialTokens.None);
        Assert.Equal(-1, noUnk.UnknownId);
        Assert.Equal(-1, noUnk.PieceToId("cat"));
        var error = Assert.Throws<ArgumentException>(() => noUnk.Encode("a cat"));
        Assert.Contains("\"cat\"", error.Message);
    }

    [Fact]
    public void Decode_DropsPadBosEos_UnlessAskedToKeepThem()
    {
        int[] ids = [1, 4, 3, 6, 2, 0, 0];
        Assert.Equal("a <unk> runs", Words.Decode(ids));
        Assert.Equal("<s> a <unk> runs </s> <pad> <pad>", Words.Decode(ids, skipSpecialTokens: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Words.Decode([8]));
    }

    [Fact]
    public void PieceToIdAndIdToPiece_AreInverse()
    {
        for (int id = 0; id < Words.VocabularySize; id++) Assert.Equal(id, Words.PieceToId(Words.IdToPiece(id)));
        Assert.Equal(Words.UnknownId, Words.PieceToId("cat"));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Words.IdToPiece(-1));
        Assert.Contains("8 tokens", error.Message);
    }

    [Fact]
    public void CharacterVocabulary_KeepsSpacesAndWholeCodePoints()
    {
        var chars = new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", " ", "a", "é", "😀"], VocabularyKind.Character);
        Assert.Equal([5, 4, 6, 7, 3], chars.Encode("a é😀b"));
        Assert.Equal(["a", " ", "é", "😀", "<unk>"], chars.EncodeToPieces("a é😀b"));
        Assert.Equal("a é😀<unk>", chars.Decode([1, 5, 4, 6, 7, 3, 2]));
    }

    [Fact]
    public void RepeatedToken_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Vocabulary(["a", "b", "a"]));
        Assert.Contains("\"a\" has two ids, 0 and 2", error.Message);
    }

    [Fact]
    public void IsAnITokenizer()
    {
        ITokenizer tokenizer = Words;
        Assert.Equal("a dog", tokenizer.Decode(tokenizer.Encode("a dog")));
    }

    [Fact]
    public void LanguageTagAndSentinelNames_FollowTheirModels()
    {
        Assert.Equal("<2fr>", SpecialTokens.TargetLanguageTag("fr"));
        Assert.Equal("__fr__", SpecialTokens.FairseqLanguageTag("fr"));
        Assert.Equal("<extra_id_0>", SpecialTokens.Sentinel(0));
        Assert.Equal("<extra_id_99>", SpecialTokens.Sentinel(99));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialTokens.Sentinel(-1));
    }
}
