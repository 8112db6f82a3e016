using EncDec.Text;
using EncDec.Text.Training;
using Xunit.Abstractions;

namespace EncDec.Tests.Text.Training;

/// <summary>
/// Models trained here, on the first 2,000 lines of Multi30k's English and German training files, work in
/// SentencePiece's own tools: <c>spm_encode</c> and <c>spm_decode</c> give the same pieces, ids and decoded text as
/// <see cref="SentencePieceProcessor"/> on every line of the Multi30k validation and test files in four languages
/// (whose French and Czech letters the models partly lack) and on the hard lines (odd spaces, NFKC, unknown scripts,
/// malformed UTF-8). BPE against spm_train: the same pieces, most in the same order.
/// </summary>
public sealed class TrainedModelSpmParityTests(ITestOutputHelper output) : IDisposable
{
    private readonly TrainingFiles files = new();

    public void Dispose() => files.Dispose();

    [ToolFact("spm_encode", "multi30k/train.en.gz", "multi30k/train.de.gz", "multi30k/val.en.gz")]
    public void Bpe_EncodesAsSpmEncode() => AssertSpmEncodesAlike(SentencePieceModelType.Bpe);

    [ToolFact("spm_encode", "multi30k/train.en.gz", "multi30k/train.de.gz", "multi30k/val.en.gz")]
    public void Unigram_EncodesAsSpmEncode() => AssertSpmEncodesAlike(SentencePieceModelType.Unigram);

    [ToolFact("spm_train", "multi30k/train.en.gz", "multi30k/train.de.gz")]
    public void Bpe_LearnsSpmTrainsPieces()
    {
        string input = files.Write("train.txt", UnigramTrainerTests.Multi30kSample());
        string prefix = files.PathOf("spm");
        SentencePieceCli.Train($"--input={input}", $"--model_prefix={prefix}", "--model_type=bpe", "--vocab_size=1000");

        var reference = SentencePieceModelProto.Load(prefix + ".model").Pieces.Select(p => p.Piece).ToList();
        var ours = SubwordTrainer.Train([input], new SubwordTrainingOptions(VocabularySize: 1000, ModelType: SentencePieceModelType.Bpe))
            .Model.Pieces.Select(p => p.Piece).ToList();

        Assert.Equal(reference.Order(StringComparer.Ordinal), ours.Order(StringComparer.Ordinal));
        // The first 124 merges come in spm_train's order. At the 125th, spm_train counts "ss" 279 times where this
        // port (and a recount of the symbols) finds 281, so "ss" moves ahead of three pieces; 973 of the 1,000 ids
        // end up the same. Not traced further: the tokens per line of the two models differ by 0.003% at 8,000 pieces.
        Assert.Equal(reference.Take(3 + 124), ours.Take(3 + 124));
        Assert.True(reference.Zip(ours).Count(p => p.First == p.Second) >= 970);
    }

    private void AssertSpmEncodesAlike(SentencePieceModelType type)
    {
        string path = files.PathOf($"{type}.model");
        var result = SubwordTrainer.Train([files.Write("train.txt", UnigramTrainerTests.Multi30kSample())],
            new SubwordTrainingOptions(VocabularySize: 1000, ModelType: type, Threads: 2));
        SentencePieceModelWriter.Save(result.Model, path);

        var ours = SentencePieceProcessor.Load(path);
        int total = 0;
        foreach (string file in SentencePieceParity.Multi30kFiles)
            total += SentencePieceParity.AssertIdentical(ours, path, file, SentencePieceCli.ReadGzipLines(file), output);
        total += SentencePieceParity.AssertIdentical(ours, path, "hard lines", SentencePieceParity.HardLinesUtf8(), output);
        Assert.Equal(8056 + SentencePieceParity.HardLinesUtf8().Length, total);
    }
}
