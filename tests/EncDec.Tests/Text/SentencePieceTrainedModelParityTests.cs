using EncDec.Text;
using Xunit.Abstractions;

namespace EncDec.Tests.Text;

/// <summary>
/// Trains small models with <c>spm_train</c> on the first 5,000 lines of Multi30k's English and German training
/// files, in a temporary folder deleted afterwards (nothing is cached in the repository).
/// </summary>
public sealed class TrainedModelsFixture : IDisposable
{
    private const int LinesPerLanguage = 5000;
    private readonly Lazy<string> folder = new(CreateCorpus);

    /// <summary>Trains (once per <paramref name="name"/>) a model with the given extra flags; returns its path.</summary>
    public string Train(string name, params string[] flags)
    {
        string prefix = Path.Combine(folder.Value, name);
        lock (folder)
        {
            if (!File.Exists(prefix + ".model"))
                SentencePieceCli.Train([$"--input={Path.Combine(folder.Value, "train.txt")}", $"--model_prefix={prefix}", .. flags]);
        }
        return prefix + ".model";
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (folder.IsValueCreated) Directory.Delete(folder.Value, recursive: true);
    }

    private static string CreateCorpus()
    {
        string path = Directory.CreateTempSubdirectory("encdec-spm-train-").FullName;
        var lines = SentencePieceCli.ReadGzipLines("multi30k/train.en.gz").Take(LinesPerLanguage)
            .Concat(SentencePieceCli.ReadGzipLines("multi30k/train.de.gz").Take(LinesPerLanguage));
        SentencePieceCli.WriteLines(Path.Combine(path, "train.txt"), lines);
        return path;
    }
}

/// <summary>
/// Models trained by <c>spm_train</c> 0.1.97 in the test against <c>spm_encode</c> / <c>spm_decode</c>: identical
/// pieces, ids and decoded text on every line of the Multi30k validation and test files (whose French and Czech
/// lines bring characters the English-German models do not know) and on the hard lines.
/// </summary>
public class SentencePieceTrainedModelParityTests(TrainedModelsFixture models, ITestOutputHelper output)
    : IClassFixture<TrainedModelsFixture>
{
    private const string TrainingData = "multi30k/train.en.gz";

    [ToolFact("spm_train", TrainingData)]
    public void Bpe_MatchesSpm_OnMulti30kAndHardLines() =>
        AssertMatchesSpm(models.Train("bpe", "--model_type=bpe", "--vocab_size=2000"), SentencePieceModelType.Bpe);

    [ToolFact("spm_train", TrainingData)]
    public void BpeWithByteFallbackAndUserSymbols_MatchesSpm() =>
        AssertMatchesSpm(models.Train("bpe-bytes", "--model_type=bpe", "--vocab_size=2000", "--byte_fallback=true",
            "--character_coverage=0.995", "--user_defined_symbols=<sep>,Mann,@@,ﬁ"), SentencePieceModelType.Bpe);

    [ToolFact("spm_train", TrainingData)]
    public void UnigramWithByteFallbackAndUserSymbols_MatchesSpm() =>
        AssertMatchesSpm(models.Train("unigram-bytes", "--model_type=unigram", "--vocab_size=2000", "--byte_fallback=true",
            "--character_coverage=0.995", "--user_defined_symbols=<sep>,Mann,@@,ﬁ", "--control_symbols=<ctl>"),
            SentencePieceModelType.Unigram);

    [ToolFact("spm_train", TrainingData)]
    public void UnigramWithIdentityRuleAndKeptSpaces_MatchesSpm() =>
        AssertMatchesSpm(models.Train("unigram-identity", "--model_type=unigram", "--vocab_size=1000",
            "--normalization_rule_name=identity", "--remove_extra_whitespaces=false", "--add_dummy_prefix=false",
            "--split_digits=true"), SentencePieceModelType.Unigram);

    [ToolFact("spm_train", TrainingData)]
    public void WhitespaceAsSuffix_MatchesSpm() =>
        AssertMatchesSpm(models.Train("bpe-suffix", "--model_type=bpe", "--vocab_size=1000",
            "--treat_whitespace_as_suffix=true"), SentencePieceModelType.Bpe);

    private void AssertMatchesSpm(string model, SentencePieceModelType type)
    {
        var ours = SentencePieceProcessor.Load(model);
        Assert.Equal(type, ours.Model.TrainerSpec.ModelType);
        int total = 0;
        foreach (string file in SentencePieceParity.Multi30kFiles)
            total += SentencePieceParity.AssertIdentical(ours, model, file, SentencePieceCli.ReadGzipLines(file), output);
        total += SentencePieceParity.AssertIdentical(ours, model, "hard lines", SentencePieceParity.HardLinesUtf8(), output);
        Assert.Equal(8056 + SentencePieceParity.HardLinesUtf8().Length, total);
    }
}
