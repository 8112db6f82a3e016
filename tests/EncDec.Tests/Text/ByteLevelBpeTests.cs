using System.Text.Json.Nodes;
using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// Byte-level BPE on the hand-made model of <see cref="TinyByteLevelBpe"/>, whose ids can be worked out on paper
/// (byte b has id b, merge k makes id 256 + k). Every expected id below was also checked against Hugging Face
/// tokenizers 0.23.2 (npm package "tokenizers") loading the same <c>tokenizer.json</c>.
/// </summary>
public sealed class ByteLevelBpeTests : IDisposable
{
    private readonly TinyByteLevelBpe files = new();

    // Added tokens after the model's ids 0..266.
    private static readonly JsonObject[] Added =
    [
        TinyByteLevelBpe.Added(267, "<mask>", lstrip: true, rstrip: true),
        TinyByteLevelBpe.Added(268, "<sep>"),
        TinyByteLevelBpe.Added(269, "<w>", singleWord: true),
        TinyByteLevelBpe.Added(270, "<a>"),
        TinyByteLevelBpe.Added(271, "<a><b>"),
        TinyByteLevelBpe.Added(272, "<x>", special: false, normalized: true),
        TinyByteLevelBpe.Added(273, "x>", special: false, normalized: false),
        TinyByteLevelBpe.Added(274, "hello world", special: false),
    ];

    public void Dispose() => files.Dispose();

    [Fact]
    public void Merges_ApplyByRank_NotLeftToRight()
    {
        var bpe = files.Load(TinyByteLevelBpe.TokenizerJson());
        // "low" -> ow (rank 1) -> low (2); " lower" -> Ġl (0), ow (1), Ġlow (3), er (4), Ġlower (5);
        // " newer" -> er (4) before Ġn (6) and ew (7), then Ġnew (8); " wer" -> er (4) wins over we (9).
        Assert.Equal([258, 261, 264, 260, 32, 119, 260], bpe.Encode("low lower newer wer"));
        Assert.Equal(["low", "Ġlower", "Ġnew", "er", "Ġ", "w", "er"], bpe.EncodeToPieces("low lower newer wer"));
    }

    [Fact]
    public void AllThreeFileForms_GiveTheSameIds()
    {
        const string Text = "low lower newer wer\n  x<y> é";
        int[] fromStrings = files.Load(TinyByteLevelBpe.TokenizerJson(mergesAsPairs: false)).Encode(Text);
        int[] fromPairs = files.Load(TinyByteLevelBpe.TokenizerJson(mergesAsPairs: true)).Encode(Text);
        int[] fromVocabAndMerges = files.LoadVocabAndMerges().Encode(Text);
        Assert.Equal(fromStrings, fromPairs);
        Assert.Equal(fromStrings, fromVocabAndMerges);
        Assert.Equal([258, 261, 264, 260, 32, 119, 260, 10, 32, 32, 120, 60, 121, 62, 32, 195, 169], fromStrings);
    }

    [Fact]
    public void Encode_EmptyText_GivesNoIds()
    {
        var bpe = files.Load(TinyByteLevelBpe.TokenizerJson(addPrefixSpace: true));
        Assert.Empty(bpe.Encode(""));
        Assert.Equal("", bpe.Decode([]));
    }

    [Fact]
    public void AddedToken_WithLeftAndRightStrip_TakesTheSpacesAroundIt()
    {
        var bpe = files.Load(TinyByteLevelBpe.TokenizerJson(added: Added));
        Assert.Equal([97, 267, 98], bpe.Encode("a <mask> b"));
        Assert.Equal([97, 32, 268, 32, 98], bpe.Encode("a <sep> b"));             // no strip: the spaces stay
        Assert.Equal([267, 267], bpe.Encode("<mask>  <mask>"));                   // the first took both spaces
        Assert.Equal("a<mask>b", bpe.Decode(bpe.Encode("a <mask> b")));
    }

    [Fact]
    public void SingleWordToken_IsNotFoundInsideAWord()
    {
        var bpe = files.Load(TinyByteLevelBpe.TokenizerJson(added: Added));
        Assert.Equal([120, 60, 119, 62, 32, 269], bpe.Encode("x<w> <w>"));
    }

    [Fact]
    public void AddedTokens_LongestMatchWins_AndUnnormalizedTokensAreFoundFirst()
    {
        var bpe = files.Load(TinyByteLevelBpe.TokenizerJson(added: Added));
        Assert.Equal([271, 270], bpe.Encode("<a><b><a>"));
        // "x>" (normalized: false) is cut out before "<x>" (normalized: true) is looked for, as HF's two passes do.
        Assert.Equal([60, 273], bpe.Encode("<x>"));
        Assert.Equal([115, 97, 121, 32, 274], bpe.Encode("say hello world"));
    }

    [Fact]
    public void AddedTokens_ResolveBothWays()
    {
        var bpe = files.Load(TinyByteLevelBpe.TokenizerJson(added: Added));
        Assert.Equal(275, bpe.VocabularySize);
        Assert.Equal(267, bpe.PieceToId("<mask>"));
        Assert.Equal("<a><b>", bpe.IdToPiece(271));
        Assert.True(bpe.IsSpecial(268));
        Assert.False(bpe.IsSpecial(274));
        Assert.False(bpe.IsSpecial(97));
        Assert.Equal(-1, bpe.PieceToId("<nope>"));
        Assert.Throws<ArgumentOutOfRangeException>(() => bpe.IdToPiece(275));
    }

    [Fact]
    public void Decode_SkipsSpecialTokensOnlyWhenAsked_AndWritesTokensWithSpacesAsThemselves()
    {
        var bpe = files.Load(TinyByteLevelBpe.TokenizerJson(added: Added));
        int[] ids = bpe.Encode("low<sep> hello world<a>");
        Assert.Equal([258, 268, 32, 274, 270], ids);
        Assert.Equal("low<sep> hello world<a>", bpe.Decode(ids));
        Assert.Equal("low hello world", bpe.Decode(ids, skipSpecialTokens: true));   // "hello world" is not special
    }

    [Fact]
    public void AddPrefixSpace_GivesEachStretchOfTextALeadingSpace()
    {
        var bpe = files.Load(TinyByteLevelBpe.TokenizerJson(addPrefixSpace: true, added: Added));
        Assert.Equal([259], bpe.Encode("low"));           // " low"
        Assert.Equal([259], bpe.Encode(" low"));          // already has one
        Assert.Equal([32, 97, 267, 32, 98], bpe.Encode("a <mask> b"));
        Assert.Equal([32, 120, 32, 120], bpe.Encode("x x"));
    }

    [Fact]
    public void WithoutRegex_TheWholeTextIsOneWord()
    {
        var json = TinyByteLevelBpe.TokenizerJson(added: Added);
        json["pre_tokenizer"]!["use_regex"] = false;
        var bpe = files.Load(json);
        Assert.Equal([266, 120], bpe.Encode("x x"));      // "x Ġ" only meets across the word boundary
        Assert.Equal([120, 32, 120], files.Load(TinyByteLevelBpe.TokenizerJson()).Encode("x x"));
        Assert.Equal([97, 267, 98], bpe.Encode("a <mask> b"));
    }

    [Fact]
    public void PreTokenizerAndDecoder_InsideASequence_AreRead()
    {
        var json = TinyByteLevelBpe.TokenizerJson();
        json["pre_tokenizer"] = new JsonObject { ["type"] = "Sequence", ["pretokenizers"] = new JsonArray(json["pre_tokenizer"]!.DeepClone()) };
        json["decoder"] = new JsonObject { ["type"] = "Sequence", ["decoders"] = new JsonArray(json["decoder"]!.DeepClone()) };
        var bpe = files.Load(json);
        Assert.Equal([258, 261], bpe.Encode("low lower"));
        Assert.Equal("low lower", bpe.Decode([258, 261]));
    }

    [Fact]
    public void FromVocabAndMerges_SpecialTokens_TakeTheirVocabularyIdOrTheNextFree()
    {
        var bpe = files.LoadVocabAndMerges(["<|endoftext|>", "Ġlow"]);
        Assert.Equal(267, bpe.PieceToId("<|endoftext|>"));      // after the largest id, 266
        Assert.Equal(259, bpe.PieceToId("Ġlow"));               // its id in vocab.json
        Assert.True(bpe.IsSpecial(259));
        Assert.Equal([258, 267, 258], bpe.Encode("low<|endoftext|>low"));
        Assert.Equal("low<|endoftext|>low", bpe.Decode([258, 267, 258]));
        Assert.Equal("lowlow", bpe.Decode([258, 267, 258], skipSpecialTokens: true));
    }

    [Fact]
    public void IgnoreMerges_TakesAWordInTheVocabularyWhole()
    {
        // With merges, "ewe" is "ew" + "e"; "ewe" is in the vocabulary only as an extra entry no merge makes.
        var json = TinyByteLevelBpe.TokenizerJson();
        json["model"]!["vocab"]!["ewe"] = 267;
        Assert.Equal([263, 101], files.Load(json).Encode("ewe"));
        json["model"]!["ignore_merges"] = true;
        Assert.Equal([267], files.Load(json).Encode("ewe"));
    }

    [Fact]
    public void UnknownToken_StandsForBytesMissingFromTheVocabulary_FusedWhenAsked()
    {
        var json = TinyByteLevelBpe.TokenizerJson();
        var vocab = json["model"]!["vocab"]!.AsObject();
        vocab.Remove("Ã");                  // 0xC3, lead byte of é (C3 A9) and ü (C3 BC)
        vocab.Remove("©");                  // 0xA9
        vocab["<unk>"] = 195;
        json["model"]!["unk_token"] = "<unk>";
        Assert.Equal([97, 195, 195, 98, 195, 188], files.Load(json).Encode("aébü"));
        json["model"]!["fuse_unk"] = true;
        Assert.Equal([97, 195, 98, 195, 188], files.Load(json).Encode("aébü"));
    }

    [Fact]
    public void Decode_IdOutsideTheVocabulary_Throws()
    {
        var bpe = files.Load(TinyByteLevelBpe.TokenizerJson());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => bpe.Decode([258, 9999]));
        Assert.Contains("9999", error.Message);
    }
}
