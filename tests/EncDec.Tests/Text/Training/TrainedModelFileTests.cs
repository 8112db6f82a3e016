using EncDec.Text;
using EncDec.Text.Training;

namespace EncDec.Tests.Text.Training;

/// <summary>
/// Trained models as files: <see cref="SentencePieceModelWriter"/> writes what <see cref="SentencePieceProcessor"/>
/// reads back unchanged, decoding undoes encoding up to normalisation, and saving is atomic.
/// </summary>
public sealed class TrainedModelFileTests : IDisposable
{
    private readonly TrainingFiles files = new();

    public void Dispose() => files.Dispose();

    private SentencePieceModelProto Train(SentencePieceModelType type, bool byteFallback = false) =>
        SubwordTrainer.Train([files.Write("train.txt", TrainingFiles.SyntheticLines(300))],
            new SubwordTrainingOptions(VocabularySize: byteFallback ? 360 : 100, ModelType: type, ByteFallback: byteFallback)).Model;

    [Theory]
    [InlineData(SentencePieceModelType.Bpe)]
    [InlineData(SentencePieceModelType.Unigram)]
    public void SavedModel_LoadsWithTheSamePiecesAndSpecs(SentencePieceModelType type)
    {
        var model = Train(type);
        string path = files.PathOf("model.model");
        SentencePieceModelWriter.Save(model, path);

        var loaded = SentencePieceProcessor.Load(path).Model;
        Assert.Equal(model.Pieces, loaded.Pieces);
        Assert.Equal(model.TrainerSpec, loaded.TrainerSpec);
        Assert.Equal("nmt_nfkc", loaded.NormalizerSpec.Name);
        Assert.Equal(model.NormalizerSpec.PrecompiledCharsMap.ToArray(), loaded.NormalizerSpec.PrecompiledCharsMap.ToArray());
        Assert.Null(loaded.DenormalizerSpec);
    }

    [Theory]
    [InlineData(SentencePieceModelType.Bpe)]
    [InlineData(SentencePieceModelType.Unigram)]
    public void DecodeOfEncode_GivesTheNormalisedText(SentencePieceModelType type)
    {
        var processor = SentencePieceProcessor.FromBytes(SentencePieceModelWriter.Serialize(Train(type)));
        string[] lines =
        [
            "A dog runs in the park.",
            "  Two   men\tplaying  ",                   // spaces trimmed and collapsed, the tab read as a space
            "Ｔｈｅ ﬆreet walker",                      // NFKC: fullwidth letters and the "st" ligature folded
            "Dogs ж run 日本",                          // outside the alphabet: decoded as the unknown surface
        ];
        foreach (string line in lines)
        {
            string normalized = processor.Normalize(line).Replace('▁', ' ').TrimStart();
            string decoded = processor.Decode(processor.Encode(line));
            Assert.Equal(normalized.Replace("ж", " ⁇ ").Replace("日本", " ⁇ "), decoded);
        }
        Assert.Equal("The street walker", processor.Decode(processor.Encode("Ｔｈｅ ﬆreet walker")));
    }

    [Fact]
    public void ByteFallbackModel_HasTheBytePiecesAfterTheSpecialOnes_AndRoundTripsAnyText()
    {
        var model = Train(SentencePieceModelType.Unigram, byteFallback: true);
        var processor = SentencePieceProcessor.FromBytes(SentencePieceModelWriter.Serialize(model));

        Assert.Equal(360, model.Pieces.Count);
        Assert.Equal("<0x00>", model.Pieces[3].Piece);
        Assert.Equal("<0xFF>", model.Pieces[258].Piece);
        Assert.All(model.Pieces.Skip(3).Take(256), p => Assert.Equal(SentencePieceType.Byte, p.Type));
        Assert.Equal("Dogs ж 日本 😀", processor.Decode(processor.Encode("Dogs ж 日本 😀")));
    }

    [Fact]
    public void Save_ReplacesAnExistingFile_AndLeavesNoTemporaryFile()
    {
        string path = files.Write("model.model", ["not a model"]);
        SentencePieceModelWriter.Save(Train(SentencePieceModelType.Bpe), path);

        Assert.Equal(100, SentencePieceProcessor.Load(path).VocabularySize);
        Assert.Equal(["model.model", "train.txt"], Directory.GetFiles(files.Folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void FailedSave_LeavesThePreviousFileAsItWas()
    {
        string path = files.PathOf("model.model");
        SentencePieceModelWriter.Save(Train(SentencePieceModelType.Bpe), path);
        byte[] before = File.ReadAllBytes(path);
        var empty = new SentencePieceModelProto([], new SentencePieceTrainerSpec(), new SentencePieceNormalizerSpec(), null);

        Assert.Throws<ArgumentException>(() => SentencePieceModelWriter.Save(empty, path));
        Assert.Throws<DirectoryNotFoundException>(() =>
            SentencePieceModelWriter.Save(Train(SentencePieceModelType.Bpe), files.PathOf("missing/model.model")));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.model", "train.txt"], Directory.GetFiles(files.Folder).Select(Path.GetFileName).Order());
    }
}
