using EncDec.Text;
using EncDec.Text.Training;

namespace EncDec.Tests.Text.Training;

/// <summary>
/// Unigram training: a model of exactly the requested size with the alphabet and the special pieces, scores that
/// are log probabilities in decreasing order, and, against <c>spm_train</c> 0.1.97 on 4,000 Multi30k lines, the
/// very same pieces, ids and scores.
/// </summary>
public sealed class UnigramTrainerTests : IDisposable
{
    private readonly TrainingFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void SyntheticCorpus_GivesAValidModelOfTheRequestedSize()
    {
        var result = SubwordTrainer.Train([files.Write("train.txt", TrainingFiles.SyntheticLines(400))],
            new SubwordTrainingOptions(VocabularySize: 120, ModelType: SentencePieceModelType.Unigram));
        var model = result.Model;

        Assert.Equal(120, model.Pieces.Count);
        Assert.Equal(["<unk>", "<s>", "</s>"], model.Pieces.Take(3).Select(p => p.Piece));
        Assert.Equal(model.Pieces.Count, model.Pieces.Select(p => p.Piece).Distinct().Count());
        var learned = model.Pieces.Skip(3).ToList();
        Assert.All(learned, p => Assert.True(p.Score < 0 && p.Type == SentencePieceType.Normal, $"{p}"));
        Assert.Equal(learned.OrderByDescending(p => p.Score).Select(p => p.Score), learned.Select(p => p.Score));
        // Every character of the corpus is a piece (coverage keeps all of these few), and whole words were learned.
        foreach (char c in "abcdeghiklmnoprstuwyDTWAB.▁") Assert.Contains(learned, p => p.Piece == c.ToString());
        Assert.Contains(learned, p => p.Piece == "▁the");
        Assert.Equal(400, result.Statistics.Sentences);
    }

    [Fact]
    public void TrainedModel_LoadsAndSplitsKnownWordsWhole()
    {
        var result = SubwordTrainer.Train([files.Write("train.txt", TrainingFiles.SyntheticLines(400))],
            new SubwordTrainingOptions(VocabularySize: 120, ModelType: SentencePieceModelType.Unigram));
        var processor = SentencePieceProcessor.FromBytes(SentencePieceModelWriter.Serialize(result.Model));

        Assert.Equal(SentencePieceModelType.Unigram, processor.Model.TrainerSpec.ModelType);
        Assert.Equal((0, 1, 2, -1), (processor.UnknownId, processor.BosId, processor.EosId, processor.PadId));
        Assert.Equal(["▁the"], processor.EncodeToPieces("the"));
    }

    [ToolFact("spm_train", "multi30k/train.en.gz", "multi30k/train.de.gz")]
    public void Multi30kSample_MatchesSpmTrainPieceForPiece()
    {
        string input = files.Write("train.txt", Multi30kSample());
        string prefix = files.PathOf("spm");
        SentencePieceCli.Train($"--input={input}", $"--model_prefix={prefix}", "--model_type=unigram", "--vocab_size=1000");

        var reference = SentencePieceModelProto.Load(prefix + ".model");
        var ours = SubwordTrainer.Train([input], new SubwordTrainingOptions(VocabularySize: 1000, Threads: 2)).Model;

        // Same pieces at the same ids with bit-identical scores: the EM, the pruning and the final sort all agree.
        Assert.Equal(reference.Pieces, ours.Pieces);
    }

    /// <summary>The first 2,000 lines of Multi30k's English and German training files.</summary>
    internal static IEnumerable<string> Multi30kSample() =>
        from file in new[] { "multi30k/train.en.gz", "multi30k/train.de.gz" }
        from line in SentencePieceCli.ReadGzipLines(file).Take(2000)
        select System.Text.Encoding.UTF8.GetString(line);
}
