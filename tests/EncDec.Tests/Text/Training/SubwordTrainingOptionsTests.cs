using EncDec.Text;
using EncDec.Text.Training;

namespace EncDec.Tests.Text.Training;

/// <summary>The training options: spm_train's defaults, and the ranges it accepts, each refusal naming the option.</summary>
public class SubwordTrainingOptionsTests
{
    [Fact]
    public void Defaults_AreSpmTrains()
    {
        var options = new SubwordTrainingOptions();

        Assert.Equal((8000, SentencePieceModelType.Unigram, 0.9995, 4192, 0, 16), (options.VocabularySize, options.ModelType,
            options.CharacterCoverage, options.MaxSentenceLength, options.InputSentenceSize, options.MaxPieceLength));
        Assert.Equal((1_000_000, 0.75, 2, false), (options.SeedPieceCount, options.ShrinkingFactor, options.SubIterations, options.ByteFallback));
        Assert.Equal(3, options.MetaPieceCount);
        Assert.Equal(259, (options with { ByteFallback = true }).MetaPieceCount);
        options.Validate();
    }

    public static TheoryData<SubwordTrainingOptions, string> Invalid => new()
    {
        { new(ModelType: SentencePieceModelType.Word), "ModelType" },
        { new(VocabularySize: 3), "VocabularySize" },
        { new(VocabularySize: 259, ByteFallback: true), "VocabularySize" },
        { new(CharacterCoverage: 0.97), "CharacterCoverage" },
        { new(CharacterCoverage: 1.01), "CharacterCoverage" },
        { new(CharacterCoverage: double.NaN), "CharacterCoverage" },
        { new(MaxSentenceLength: 9), "MaxSentenceLength" },
        { new(InputSentenceSize: 100), "InputSentenceSize" },
        { new(InputSentenceSize: -1), "InputSentenceSize" },
        { new(MaxPieceLength: 0), "MaxPieceLength" },
        { new(Threads: 0), "Threads" },
        { new(SeedPieceCount: 8000), "SeedPieceCount" },
        { new(ShrinkingFactor: 0.99), "ShrinkingFactor" },
        { new(SubIterations: 0), "SubIterations" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void OutOfRange_IsRefused_NamingTheOption(SubwordTrainingOptions options, string name)
    {
        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void SeedPieceCount_MattersOnlyForUnigram() =>
        new SubwordTrainingOptions(ModelType: SentencePieceModelType.Bpe, SeedPieceCount: 10).Validate();
}
