using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// Reading <c>.model</c> files: T5's file parses to the values <c>spm_export_vocab</c> shows, and truncated,
/// garbage or inconsistent files end in an <see cref="InvalidDataException"/> naming the file and a byte offset.
/// </summary>
public class SentencePieceModelFileTests
{
    private const string T5Model = T5ModelFixture.ModelPath;

    [SharedDataFact(T5Model)]
    public void T5Model_ParsesToTheSpecsOfItsFile()
    {
        var model = SentencePieceModelProto.Load(SharedDataFactAttribute.Require(T5Model));

        Assert.Equal(32000, model.Pieces.Count);
        Assert.Equal(new SentencePieceEntry("<pad>", 0, SentencePieceType.Control), model.Pieces[0]);
        Assert.Equal(new SentencePieceEntry("<unk>", 0, SentencePieceType.Unknown), model.Pieces[2]);
        Assert.Equal(SentencePieceModelType.Unigram, model.TrainerSpec.ModelType);
        Assert.Equal((0, 1, 2), (model.TrainerSpec.PadId, model.TrainerSpec.EosId, model.TrainerSpec.UnknownId));
        Assert.False(model.TrainerSpec.ByteFallback);
        Assert.Equal("nmt_nfkc", model.NormalizerSpec.Name);
        Assert.True(model.NormalizerSpec.AddDummyPrefix);
        Assert.False(model.NormalizerSpec.PrecompiledCharsMap.IsEmpty);
    }

    [SharedDataFact(T5Model)]
    public void TruncatedFile_ThrowsInvalidData_NamingTheFileAndOffset()
    {
        byte[] full = File.ReadAllBytes(SharedDataFactAttribute.Require(T5Model));
        string path = Path.Combine(Path.GetTempPath(), $"encdec-truncated-{Guid.NewGuid():N}.model");
        try
        {
            // 0 bytes, a few bytes, then cuts spread over the whole file (pieces, specs and the charsmap).
            foreach (int length in new[] { 0, 1, 2, 3, 100 }.Concat(Enumerable.Range(1, 39).Select(i => (int)((long)full.Length * i / 40))))
            {
                File.WriteAllBytes(path, full[..length]);
                var error = Assert.Throws<InvalidDataException>(() => SentencePieceProcessor.Load(path));
                Assert.Contains($"'{path}'", error.Message);
                Assert.Matches(@"at byte \d+$", error.Message);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Garbage_ThrowsInvalidData_NeverAnotherException()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var bytes = new byte[1 + (seed * 37 % 2000)];
            new Random(seed).NextBytes(bytes);
            var error = Assert.Throws<InvalidDataException>(() => SentencePieceProcessor.FromBytes(bytes, $"garbage-{seed}"));
            Assert.StartsWith($"'garbage-{seed}' is not a valid SentencePiece model: ", error.Message);
        }
    }

    [SharedDataFact("multi30k/val.en.gz")]
    public void OtherFileFormats_ThrowInvalidData()
    {
        string gzip = SharedDataFactAttribute.Require("multi30k/val.en.gz");

        var error = Assert.Throws<InvalidDataException>(() => SentencePieceProcessor.Load(gzip));
        Assert.Contains($"'{gzip}'", error.Message);
        Assert.Throws<InvalidDataException>(() => SentencePieceProcessor.FromBytes("not a model\n"u8, "text"));
        Assert.Throws<InvalidDataException>(() => SentencePieceProcessor.FromBytes([], "empty"));
    }

    [Theory]
    [InlineData("a", "no piece has type UNKNOWN at byte 0")]
    [InlineData("<unk>,a,a", "piece 2 'a' is defined twice at byte 28")]
    [InlineData("<unk>,<unk2>", "piece 1 '<unk2>' is a second unknown piece (the first is 0) at byte 16")]
    [InlineData("<unk>,<0x41>", "piece 1 '<0x41>' is a byte piece but byte_fallback is off at byte 16")]
    public void InconsistentVocabulary_IsRejectedAsSentencePieceDoes(string pieces, string expected)
    {
        var entries = pieces.Split(',').Select(p => (p, 0f, p.StartsWith("<unk") ? 2 : p.StartsWith("<0x") ? 6 : 1));

        var error = Assert.Throws<InvalidDataException>(() => SentencePieceProcessor.FromBytes(ProtobufWriter.Model(entries, 1), "vocab"));
        Assert.Equal($"'vocab' is not a valid SentencePiece model: {expected}", error.Message);
    }

    [Fact]
    public void CorruptCharsMap_ThrowsInvalidData_AtTheCharsMapsOffset()
    {
        // The trie claims 0xFFFF bytes of a 7-byte blob.
        byte[] model = ProtobufWriter.Model([("<unk>", 0, 2), ("a", -1, 1)], 1, charsMap: [0xFF, 0xFF, 0, 0, 1, 2, 3]);
        int offset = model.Length - 7;

        var error = Assert.Throws<InvalidDataException>(() => SentencePieceProcessor.FromBytes(model, "charsmap"));
        Assert.Equal($"'charsmap' is not a valid SentencePiece model: precompiled_charsmap's trie size 65535 exceeds its 7 bytes at byte {offset}",
            error.Message);
    }
}
