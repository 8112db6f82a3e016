using System.Text;
using EncDec.Text;
using EncDec.Text.Training;

namespace EncDec.Tests.Text.Training;

/// <summary>
/// Reading training data as spm_train does: plain or gzip files pooled, lines too long or holding the unknown marker
/// skipped, blank ones dropped, sampling by seed; and clear errors for a missing file, malformed UTF-8, or a
/// vocabulary too small for the alphabet.
/// </summary>
public sealed class TrainingCorpusTests : IDisposable
{
    private readonly TrainingFiles files = new();

    public void Dispose() => files.Dispose();

    private static SubwordTrainingOptions Bpe(int size = 60) => new(VocabularySize: size, ModelType: SentencePieceModelType.Bpe);

    [Fact]
    public void PlainAndGzipFiles_ArePooled()
    {
        var lines = TrainingFiles.SyntheticLines(200).ToList();
        var pooled = SubwordTrainer.Train([files.Write("a.txt", lines[..100]), files.Write("b.gz", lines[100..], gzip: true)], Bpe());
        var single = SubwordTrainer.Train([files.Write("all.txt", lines)], Bpe());

        Assert.Equal(single.Model.Pieces, pooled.Model.Pieces);
        Assert.Equal(200, pooled.Statistics.LinesRead);
    }

    [Fact]
    public void LongReservedAndBlankLines_AreLeftOut()
    {
        var lines = TrainingFiles.SyntheticLines(100).Concat(["", "   ", new string('x', 5000), "a dog ▅ runs"]);
        var result = SubwordTrainer.Train([files.Write("train.txt", lines)], Bpe());

        var statistics = result.Statistics;
        Assert.Equal((104L, 1L, 1L, 100), (statistics.LinesRead, statistics.TooLong, statistics.Reserved, statistics.Sentences));
        Assert.DoesNotContain(result.Model.Pieces, p => p.Piece.Contains('x'));
    }

    [Fact]
    public void SpecialPieceText_IsCutOut_SoNoPieceHoldsOrCrossesIt()
    {
        var lines = Enumerable.Repeat("dogs<s>run </s>walkers<unk>", 50).Concat(TrainingFiles.SyntheticLines(50));
        var model = SubwordTrainer.Train([files.Write("train.txt", lines)], Bpe()).Model;

        var learned = model.Pieces.Skip(3).Select(p => p.Piece).ToList();
        Assert.DoesNotContain(learned, p => p.Contains('<') || p.Contains('>') || p.Contains('/'));
        Assert.DoesNotContain("srun", learned);
        Assert.Contains("▁dogs", learned);
    }

    [Fact]
    public void InputSentenceSize_SamplesThatManyLines_TheSameForTheSameSeed()
    {
        string path = files.Write("train.txt", TrainingFiles.SyntheticLines(600));
        var options = Bpe() with { InputSentenceSize = 150, Seed = 3 };

        var first = SubwordTrainer.Train([path], options);
        var again = SubwordTrainer.Train([path], options);
        var other = SubwordTrainer.Train([path], options with { Seed = 4 });

        Assert.Equal(150, first.Statistics.Sentences);
        Assert.Equal(first.Model.Pieces, again.Model.Pieces);
        Assert.NotEqual(first.Model.Pieces, other.Model.Pieces);
    }

    [Fact]
    public void MissingFile_IsAFileNotFoundError_NamingIt()
    {
        string missing = files.PathOf("missing.txt");
        var error = Assert.Throws<FileNotFoundException>(() => SubwordTrainer.Train([missing], Bpe()));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void MalformedUtf8_IsAnError_NamingTheFileAndLine()
    {
        byte[] text = [.. Encoding.UTF8.GetBytes("a good line\nanother\n"), .. "bad "u8, 0xC3, 0x28, .. "\n"u8];
        string path = files.WriteBytes("bad.txt", text);

        var error = Assert.Throws<InvalidDataException>(() => SubwordTrainer.Train([path], Bpe()));
        Assert.Equal($"'{path}' line 3 is not valid UTF-8 (byte 5 of the line)", error.Message);
    }

    [Fact]
    public void CorruptGzip_IsAnInvalidDataError_NamingTheFile()
    {
        byte[] gzip = File.ReadAllBytes(files.Write("good.gz", TrainingFiles.SyntheticLines(200), gzip: true));
        string path = files.WriteBytes("corrupt.gz", gzip[..(gzip.Length / 2)].Concat(new byte[64]).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => SubwordTrainer.Train([path], Bpe()));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void SizeSmallerThanTheAlphabet_IsAClearError()
    {
        var error = Assert.Throws<SubwordTrainingException>(() =>
            SubwordTrainer.Train([files.Write("train.txt", TrainingFiles.SyntheticLines(100))], Bpe(size: 10)));

        Assert.Matches(@"^vocabulary size 10 is smaller than the \d+ characters needed for 0\.9995 coverage plus 3 special pieces; "
            + "increase the size or lower the character coverage$", error.Message);
    }

    [Fact]
    public void OnlyBlankLines_IsAClearError()
    {
        string path = files.Write("blank.txt", ["", "  ", "\t"]);
        var error = Assert.Throws<SubwordTrainingException>(() => SubwordTrainer.Train([path], Bpe()));

        Assert.Equal($"no usable line in '{path}': 3 lines read, all empty, blank or skipped", error.Message);
    }
}
