using EncDec.Text;
using EncDec.Text.Training;

namespace EncDec.Tests.Text.Training;

/// <summary>
/// BPE training: the merge order on Sennrich et al.'s textbook corpus, worked out by hand below and confirmed by
/// <c>spm_train</c> 0.1.97, and the model's layout (special pieces, merges scored -i, then the alphabet).
/// </summary>
public sealed class BpeTrainerTests : IDisposable
{
    // "▁low" x5, "▁lower" x2, "▁newest" x6, "▁widest" x3 (Sennrich, Haddow and Birch, ACL 2016, figure 1).
    private const string TextbookLine = "low low low low low lower lower newest newest newest newest newest newest widest widest widest";

    // By hand: "es" and "st" both occur 9 times, and "es" sorts first; then "est" (9); "lo", "ow" and "▁l" (7) tie and
    // "lo" sorts first ('l' < 'o' < U+2581); then "low" (7, before "▁lo"), "▁low" (7); "ew" (6, before "ne", "▁n"),
    // "▁n", "▁new", "▁newest" (6); "id" (3). The alphabet follows, most frequent first: e 17, w 16, ▁ 16, s 9, t 9,
    // l 7, o 7, n 6, d 3, i 3, r 2 (ties in code-point order).
    private static readonly string[] TextbookPieces =
    [
        "<unk>", "<s>", "</s>",
        "es", "est", "lo", "low", "▁low", "ew", "▁n", "▁new", "▁newest", "id",
        "e", "w", "▁", "s", "t", "l", "o", "n", "d", "i", "r",
    ];

    private readonly TrainingFiles files = new();

    public void Dispose() => files.Dispose();

    private SentencePieceModelProto TrainTextbook(int size = 24) =>
        SubwordTrainer.Train([files.Write("textbook.txt", [TextbookLine])],
            new SubwordTrainingOptions(VocabularySize: size, ModelType: SentencePieceModelType.Bpe)).Model;

    [Fact]
    public void TextbookCorpus_MergesInTheHandWorkedOrder()
    {
        var model = TrainTextbook();

        Assert.Equal(TextbookPieces, model.Pieces.Select(p => p.Piece));
        Assert.Equal([SentencePieceType.Unknown, SentencePieceType.Control, SentencePieceType.Control],
            model.Pieces.Take(3).Select(p => p.Type));
        Assert.All(model.Pieces.Skip(3), p => Assert.Equal(SentencePieceType.Normal, p.Type));
        // Piece i after the special ones scores -i: earlier merges win when encoding, the alphabet comes last.
        Assert.Equal(Enumerable.Range(0, 21).Select(i => (float)-i), model.Pieces.Skip(3).Select(p => p.Score));
        Assert.Equal(SentencePieceModelType.Bpe, model.TrainerSpec.ModelType);
        Assert.Equal(24, model.TrainerSpec.VocabularySize);
    }

    [Fact]
    public void TextbookModel_EncodesWithItsMerges()
    {
        var processor = SentencePieceProcessor.FromBytes(SentencePieceModelWriter.Serialize(TrainTextbook()));

        Assert.Equal(["▁low", "e", "r", "▁newest", "▁", "w", "id", "est"], processor.EncodeToPieces("lower newest widest"));
    }

    [Fact]
    public void SizeBeyondWhatTheDataGives_IsAClearError()
    {
        var error = Assert.Throws<SubwordTrainingException>(() => TrainTextbook(size: 200));

        Assert.Contains("fewer than the vocabulary size 200", error.Message);
    }

    [ToolFact("spm_train")]
    public void TextbookCorpus_MatchesSpmTrain()
    {
        string prefix = files.PathOf("spm");
        SentencePieceCli.Train($"--input={files.Write("textbook.txt", [TextbookLine])}", $"--model_prefix={prefix}",
            "--model_type=bpe", "--vocab_size=24");

        var reference = SentencePieceModelProto.Load(prefix + ".model");
        Assert.Equal(reference.Pieces, TrainTextbook().Pieces);
    }
}
