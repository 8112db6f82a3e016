using EncDec.Cli;
using EncDec.Tests.Text.Training;
using EncDec.Text;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec vocab train</c>, run in-process on small files in a temporary folder.</summary>
public sealed class VocabCommandTests : IDisposable
{
    private readonly TrainingFiles files = new();

    public void Dispose() => files.Dispose();

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Theory]
    [InlineData("bpe", SentencePieceModelType.Bpe)]
    [InlineData("unigram", SentencePieceModelType.Unigram)]
    public void Train_WritesAModel_AndSummarises(string type, SentencePieceModelType expected)
    {
        string source = files.Write("train.src", TrainingFiles.SyntheticLines(150, seed: 1));
        string target = files.Write("train.tgt.gz", TrainingFiles.SyntheticLines(150, seed: 2), gzip: true);
        string model = files.PathOf("joint.model");

        var (code, output, error) = Run("vocab", "train", "--input", source, target, "--size", "80", "--type", type,
            "--out", model, "--threads", "1");

        Assert.Equal((ExitCodes.Success, ""), (code, error));
        var processor = SentencePieceProcessor.Load(model);
        Assert.Equal((80, expected), (processor.VocabularySize, processor.Model.TrainerSpec.ModelType));
        var summary = Lines(output);
        Assert.Equal(3, summary.Length);
        Assert.Matches($@"^trained {(type == "bpe" ? "BPE" : "unigram")} vocabulary: 80 pieces, alphabet \d+ characters \(\d+\.\d{{3}}% coverage\), 300 of 300 lines, in \d+\.\d\d s$", summary[0]);
        Assert.Matches(@"^tokens per line on the training data: \d+\.\d{3} \(\d+ tokens, 300 lines, encoded in \d+\.\d\d s\)$", summary[1]);
        Assert.Equal($"saved {model}", summary[2]);
    }

    [Fact]
    public void MissingInput_ExitsWithDataError_InOneLine()
    {
        string missing = files.PathOf("missing.txt");
        var (code, output, error) = Run("vocab", "train", "--input", missing, "--size", "100", "--out", files.PathOf("m.model"));

        Assert.Equal((ExitCodes.Data, ""), (code, output));
        Assert.Equal($"encdec: '{missing}' does not exist", error.TrimEnd());
        Assert.False(File.Exists(files.PathOf("m.model")));
    }

    [Fact]
    public void SizeTooSmallForTheAlphabet_ExitsWithDataError_SayingWhatToChange()
    {
        string input = files.Write("train.txt", TrainingFiles.SyntheticLines(100));
        var (code, _, error) = Run("vocab", "train", "--input", input, "--size", "12", "--out", files.PathOf("m.model"));

        Assert.Equal(ExitCodes.Data, code);
        Assert.Single(Lines(error));
        Assert.StartsWith("encdec: vocabulary size 12 is smaller than the ", error);
        Assert.Contains("increase the size or lower the character coverage", error);
    }

    [Theory]
    [InlineData("--type", "word")]
    [InlineData("--character-coverage", "0.5")]
    [InlineData("--size", "2")]
    [InlineData("--threads", "0")]
    [InlineData("--input-sentence-size", "50")]
    public void BadOption_ExitsWithUsageError(string option, string value)
    {
        string input = files.Write("train.txt", TrainingFiles.SyntheticLines(10));
        var (code, _, error) = Run("vocab", "train", "--input", input, "--size", "100", "--out", files.PathOf("m.model"), option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(Lines(error));
    }

    [Fact]
    public void SizeWithoutRoomBesideTheBytePieces_ExitsWithUsageError()
    {
        string input = files.Write("train.txt", TrainingFiles.SyntheticLines(10));
        var (code, _, error) = Run("vocab", "train", "--input", input, "--size", "200", "--byte-fallback", "--out", files.PathOf("m.model"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("encdec: vocabulary size 200 leaves no room beside the 259 special pieces (see 'encdec vocab train --help')", error.TrimEnd());
    }
}
