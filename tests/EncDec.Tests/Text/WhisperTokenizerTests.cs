using System.Text;
using System.Text.Json;
using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>Loads Whisper's tokenizer once for <see cref="WhisperTokenizerTests"/>.</summary>
public sealed class WhisperTokenizerFixture
{
    /// <summary>The real multilingual Whisper tokenizer under shared/data (50,258 vocabulary entries, 49,999 merges,
    /// 107 added special tokens).</summary>
    public const string TokenizerPath = "tokenizers/whisper-tiny/tokenizer.json";

    private readonly Lazy<ByteLevelBpeTokenizer> tokenizer =
        new(() => ByteLevelBpeTokenizer.Load(SharedDataFactAttribute.Require(TokenizerPath)));

    /// <summary>The loaded tokenizer (read on first use, so a skipped test costs nothing).</summary>
    public ByteLevelBpeTokenizer Tokenizer => tokenizer.Value;
}

/// <summary>
/// Whisper's byte-level BPE <c>tokenizer.json</c>: exact round trips on Multi30k in four languages, the special
/// tokens' ids as the file and OpenAI's Whisper code give them, and ids equal to a naive reference BPE and to
/// Hugging Face tokenizers.
/// </summary>
public class WhisperTokenizerTests(WhisperTokenizerFixture fixture) : IClassFixture<WhisperTokenizerFixture>
{
    private const string Whisper = WhisperTokenizerFixture.TokenizerPath;

    private ByteLevelBpeTokenizer Tokenizer => fixture.Tokenizer;

    [SharedDataFact(Whisper)]
    public void Sizes_AreThoseOfTheFile()
    {
        Assert.Equal(50364, Tokenizer.VocabularySize);      // 50,258 model entries + 106 added tokens past them
        Assert.Equal(49999, Tokenizer.MergeCount);
        Assert.Equal(107, Tokenizer.AddedTokens.Count);
        Assert.Equal(-1, Tokenizer.UnknownId);
        Assert.Equal(-1, Tokenizer.PieceToId("no such token"));
    }

    [SharedDataFact(Whisper)]
    public void EveryAddedToken_ResolvesToTheIdTheFileGivesIt()
    {
        // The expected ids are read here with JsonDocument, apart from the tokenizer's own reader.
        using var json = JsonDocument.Parse(File.ReadAllBytes(SharedDataFactAttribute.Require(Whisper)));
        var addedTokens = json.RootElement.GetProperty("added_tokens").EnumerateArray().ToList();
        Assert.Equal(107, addedTokens.Count);
        foreach (var entry in addedTokens)
        {
            string content = entry.GetProperty("content").GetString()!;
            int id = entry.GetProperty("id").GetInt32();
            Assert.Equal(id, Tokenizer.PieceToId(content));
            Assert.Equal(content, Tokenizer.IdToPiece(id));
            Assert.Equal([id], Tokenizer.Encode(content));
            Assert.Equal(entry.GetProperty("special").GetBoolean(), Tokenizer.IsSpecial(id));
        }
    }

    [SharedDataFact(Whisper)]
    public void WellKnownSpecialTokens_HaveWhispersMultilingualIds()
    {
        // openai/whisper tokenizer.py (multilingual vocabulary): eot 50257, sot 50258, languages from 50259 in the
        // order of LANGUAGES (en, zh, de, es, ru, ko, fr, ... cs is the 25th), translate 50358, transcribe 50359,
        // sot_lm 50360, sot_prev 50361, no_speech 50362, no_timestamps 50363.
        var expected = new Dictionary<string, int>
        {
            ["<|endoftext|>"] = 50257, ["<|startoftranscript|>"] = 50258, ["<|en|>"] = 50259, ["<|de|>"] = 50261,
            ["<|fr|>"] = 50265, ["<|cs|>"] = 50283, ["<|translate|>"] = 50358, ["<|transcribe|>"] = 50359,
            ["<|startoflm|>"] = 50360, ["<|startofprev|>"] = 50361, ["<|nocaptions|>"] = 50362, ["<|notimestamps|>"] = 50363,
        };
        foreach (var (token, id) in expected)
        {
            Assert.Equal(id, Tokenizer.PieceToId(token));
            Assert.True(Tokenizer.IsSpecial(id), token);
        }
        Assert.False(Tokenizer.IsSpecial(1002));
    }

    [SharedDataFact("multi30k")]
    public void Multi30k_EncodeDecode_RoundTripsEveryLineExactly()
    {
        int lines = 0;
        foreach (string file in SentencePieceParity.Multi30kFiles)
        {
            foreach (byte[] utf8 in SentencePieceCli.ReadGzipLines(file))
            {
                string line = Encoding.UTF8.GetString(utf8);
                int[] ids = Tokenizer.Encode(line);
                Assert.All(ids, id => Assert.InRange(id, 0, 50256));     // ordinary text meets no special token
                Assert.Equal(line, Tokenizer.Decode(ids));
                lines++;
            }
        }
        Assert.Equal(8056, lines);   // val 1,014 + test_2016_flickr 1,000 lines, in en, de, fr, cs
    }

    [SharedDataFact("multi30k")]
    public void Multi30kValidation_IdsEqualTheNaiveReferenceBpe_OnEveryLine()
    {
        var reference = new ReferenceBpe(SharedDataFactAttribute.Require(Whisper));
        int lines = 0;
        foreach (string file in SentencePieceParity.Multi30kFiles.Where(f => f.Contains("/val.")))
        {
            foreach (byte[] utf8 in SentencePieceCli.ReadGzipLines(file))
            {
                string line = Encoding.UTF8.GetString(utf8);
                Assert.Equal(reference.Encode(line), Tokenizer.Encode(line));
                lines++;
            }
        }
        Assert.Equal(4056, lines);
    }

    [SharedDataFact(Whisper)]
    public void KnownSentences_IdsEqualTheNaiveReferenceBpe()
    {
        var reference = new ReferenceBpe(SharedDataFactAttribute.Require(Whisper));
        foreach (string sentence in new[]
        {
            "Hello world", "A dog runs.", "it's  3 dogs<|endoftext|>", "  a\n\nb  ", "Straße, façade; naïve — Ωmega!",
            "<|startoftranscript|><|en|><|transcribe|><|notimestamps|> Hello world<|endoftext|>",
            "Два человека, 日本語のテキスト, עברית", "I'm sure they've said we'll go'S", "x" + new string(' ', 10) + "y",
        })
        {
            Assert.Equal(reference.Encode(sentence), Tokenizer.Encode(sentence));
        }
    }

    [SharedDataFact(Whisper)]
    public void KnownSentences_GiveHuggingFaceTokenizersIds()
    {
        // Hugging Face tokenizers 0.23.2 (npm package "tokenizers"), Tokenizer.fromFile(tokenizer.json),
        // encode(text, null, { addSpecialTokens: false }).
        Assert.Equal([15947, 1002], Tokenizer.Encode("Hello world"));
        Assert.Equal(["Hello", "Ġworld"], Tokenizer.EncodeToPieces("Hello world"));
        Assert.Equal([36, 259, 16892, 956, 75, 19210, 294, 6827, 677, 774, 2866, 31359, 2501, 6827, 407, 11771, 13],
            Tokenizer.Encode("Ein Mann schläft in einem grünen Raum auf einem Sofa."));
        Assert.Equal([44, 84, 9159, 637, 870, 1667, 290, 1459, 10236, 72, 371, 710, 14818, 4011, 13010, 78, 4013, 13],
            Tokenizer.Encode("Muž spí na gauči v zeleném pokoji."));
        Assert.Equal([270, 311, 220, 805, 7197, 50257], Tokenizer.Encode("it's  3 dogs<|endoftext|>"));
        Assert.Equal(["it", "'s", "Ġ", "Ġ3", "Ġdogs", "<|endoftext|>"], Tokenizer.EncodeToPieces("it's  3 dogs<|endoftext|>"));
        Assert.Equal([220, 257, 198, 198, 65, 220, 220], Tokenizer.Encode("  a\n\nb  "));
        // Letters outside the BMP are letters: " 𝐀𝐁𝐂" is one word, as Oniguruma sees it.
        Assert.Equal([24761, 42244, 238, 222, 10933, 238, 223, 10933, 238, 224, 2031], Tokenizer.Encode("math 𝐀𝐁𝐂 x"));
        Assert.Equal([50258, 50259, 50359, 50363, 2425, 1002, 50257],
            Tokenizer.Encode("<|startoftranscript|><|en|><|transcribe|><|notimestamps|> Hello world<|endoftext|>"));
    }

    [SharedDataFact(Whisper)]
    public void Decode_KeepsSpecialTokensUnlessAskedToSkipThem()
    {
        int[] ids = [50258, 50259, 50359, 50363, 2425, 1002, 50257];
        Assert.Equal("<|startoftranscript|><|en|><|transcribe|><|notimestamps|> Hello world<|endoftext|>", Tokenizer.Decode(ids));
        Assert.Equal(" Hello world", Tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [SharedDataFact(Whisper)]
    public void Decode_CutMultibyteCharacter_GivesReplacementCharacter_AsHuggingFaceDoes()
    {
        // HF tokenizers 0.23.2: decode([10933]) == "\uFFFD" ("ðĿ" is F0 9D, half of 𝐀); decode([50256]) == "" (an
        // empty vocabulary entry).
        Assert.Equal("\uFFFD", Tokenizer.Decode([10933]));
        Assert.Equal(" 𝐀\uFFFD", Tokenizer.Decode([42244, 238, 222, 10933]));
        Assert.Equal(" Hello world", Tokenizer.Decode([2425, 50256, 1002]));
    }

    [SharedDataFact(Whisper)]
    public void HardLines_RoundTripExactly_AsUtf8SeesThem()
    {
        // Every line comes back as it was, except that a lone surrogate, which has no UTF-8, comes back as U+FFFD.
        foreach (string line in SentencePieceParity.HardLines)
        {
            string asUtf8 = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(line));
            Assert.Equal(asUtf8, Tokenizer.Decode(Tokenizer.Encode(line)));
        }
        Assert.Equal("lone \uFFFD surrogate", Tokenizer.Decode(Tokenizer.Encode("lone \uD800 surrogate")));
    }

    [SharedDataFact(Whisper)]
    public void IdToPiece_OutsideTheVocabulary_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.IdToPiece(50364));
        Assert.Contains("50364", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([-1]));
    }
}
