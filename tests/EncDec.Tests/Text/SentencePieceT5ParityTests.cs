using EncDec.Text;
using Xunit.Abstractions;

namespace EncDec.Tests.Text;

/// <summary>Loads T5's SentencePiece model once for <see cref="SentencePieceT5ParityTests"/>.</summary>
public sealed class T5ModelFixture
{
    /// <summary>The model under shared/data (T5 v1.0, unigram, 32,000 pieces, nmt_nfkc normalisation).</summary>
    public const string ModelPath = "tokenizers/t5-small/spiece.model";

    private readonly Lazy<SentencePieceProcessor> processor =
        new(() => SentencePieceProcessor.Load(SharedDataFactAttribute.Require(ModelPath)));

    /// <summary>The loaded model (read on first use, so a skipped test costs nothing).</summary>
    public SentencePieceProcessor Processor => processor.Value;
}

/// <summary>
/// T5's unigram model against SentencePiece 0.1.97's <c>spm_encode</c> / <c>spm_decode</c> (the Debian package
/// <c>sentencepiece</c>): identical pieces, ids and decoded text on every line of the Multi30k validation and
/// test files and on hand-written hard lines.
/// </summary>
public class SentencePieceT5ParityTests(T5ModelFixture fixture, ITestOutputHelper output) : IClassFixture<T5ModelFixture>
{
    private string Model => SharedDataFactAttribute.Require(T5ModelFixture.ModelPath);

    [ToolFact("spm_encode", T5ModelFixture.ModelPath, "multi30k")]
    public void Multi30k_PiecesIdsAndDecoding_MatchSpm_OnEveryLine()
    {
        int total = 0;
        foreach (string file in SentencePieceParity.Multi30kFiles)
            total += SentencePieceParity.AssertIdentical(fixture.Processor, Model, file, SentencePieceCli.ReadGzipLines(file), output);
        Assert.Equal(8056, total);
    }

    [ToolFact("spm_encode", T5ModelFixture.ModelPath)]
    public void HardLines_PiecesIdsAndDecoding_MatchSpm() =>
        SentencePieceParity.AssertIdentical(fixture.Processor, Model, "hard lines", SentencePieceParity.HardLinesUtf8(), output);

    [SharedDataFact(T5ModelFixture.ModelPath)]
    public void SpecialIds_AreThoseOfSpmExportVocab()
    {
        // spm_export_vocab: <pad> 0, </s> 1, <unk> 2, "▁" 3; T5 has no <s>.
        var spm = fixture.Processor;
        Assert.Equal(32000, spm.VocabularySize);
        Assert.Equal((0, 1, 2, -1), (spm.PadId, spm.EosId, spm.UnknownId, spm.BosId));
        Assert.Equal("▁", spm.IdToPiece(3));
        Assert.Equal(3, spm.PieceToId("▁"));
        Assert.Equal(spm.UnknownId, spm.PieceToId("no such piece"));
        Assert.Equal(SentencePieceType.Control, spm.GetPieceType(1));
        Assert.Equal(-2.01229f, spm.GetScore(3), 1e-5f);
    }

    [SharedDataFact(T5ModelFixture.ModelPath)]
    public void Encode_KnownSentence_GivesSpmEncodesIds()
    {
        // spm_encode --output_format=piece / id on "Hello  world\tＡ ①ﬁ é", with "é" written as e + U+0301.
        var spm = fixture.Processor;
        const string Line = "Hello  world\tＡ ①ﬁ e\u0301";
        Assert.Equal(["▁Hello", "▁world", "▁A", "▁1", "f", "i", "▁", "é"], spm.EncodeToPieces(Line));
        Assert.Equal([8774, 296, 71, 209, 89, 23, 3, 154], spm.Encode(Line));
        Assert.Equal("Hello world A 1fi é", spm.Decode(spm.Encode(Line)));
    }

    [SharedDataFact(T5ModelFixture.ModelPath)]
    public void UnknownRun_IsOnePieceWithTheUnknownId()
    {
        // Two malformed bytes become two U+FFFD, neither in T5's vocabulary: spm_encode gives "�� " as one piece, id 2.
        var spm = fixture.Processor;
        byte[] line = [.. "abc"u8, 0xFF, 0xFE, .. "def"u8];
        Assert.Equal(["▁ab", "c", "\uFFFD\uFFFD", "de", "f"], spm.EncodeUtf8ToPieces(line));
        Assert.Equal([703, 75, 2, 221, 89], spm.EncodeUtf8(line));
    }
}
