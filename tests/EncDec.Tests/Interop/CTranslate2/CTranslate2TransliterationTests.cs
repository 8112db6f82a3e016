using EncDec.Autograd;
using EncDec.Interop.CTranslate2;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using Xunit.Abstractions;

namespace EncDec.Tests.Interop.CTranslate2;

/// <summary>
/// The real CTranslate2 model of shared/data/ctranslate2-aren-transliteration, whose expected outputs come from
/// CTranslate2's own test suite (beam 1 or 2): loading it and decoding greedily must reproduce them.
/// </summary>
public sealed class CTranslate2TransliterationTests(ITestOutputHelper output)
{
    private const string Folder = "ctranslate2-aren-transliteration";

    private static readonly Lazy<TranslationModel> Model =
        new(() => CTranslate2ModelReader.Load(SharedDataFactAttribute.Require(Folder)));

    [SharedDataFact(Folder)]
    public void Greedy_TransliteratesAtzmon() => AssertTransliterates("آ ت ز م و ن", "a t z m o n");

    [SharedDataFact(Folder)]
    public void Greedy_TransliteratesAchison() => AssertTransliterates("آ ت ش ي س و ن", "a c h i s o n");

    /// <summary>Golden per-token log-probabilities (</s> last) from CTranslate2's own test_score_api, rtol 1e-4.</summary>
    [SharedDataFact(Folder)]
    public void TeacherForcedLogProbabilities_MatchCTranslate2sScoreApi()
    {
        AssertScores("آ ت ز م و ن", "a t z m o n",
            [-0.106023, -0.065410, -0.056002, -0.447953, -0.230714, -0.092184, -0.063463]);
        AssertScores("آ ت ش ي س و ن", "a c h i s o n",
            [-0.072660, -0.300309, -0.181187, -0.395671, -0.025631, -0.123466, -0.002034, -0.012639]);
    }

    [SharedDataFact(Folder)]
    public void Greedy_SumOfLogProbabilities_EqualsTheScoreApiSum()
    {
        var results = CTranslate2Greedy.Decode(Model.Value, ["آ ت ز م و ن", "آ ت ش ي س و ن"]);
        Assert.Equal(-1.061749, results[0].LogProbability, 4);
        Assert.Equal(-1.113597, results[1].LogProbability, 4);
    }

    /// <summary>Int8 inference (weights and inputs of every projection quantized, attention caches in bfloat16) keeps
    /// both transliterations; the sums of log-probabilities move by a few hundredths (measured through
    /// `encdec translate --compute-type int8 --json`: −1.0798 and −1.1128 against −1.0617 and −1.1136).</summary>
    [SharedDataFact(Folder)]
    public void Int8Greedy_KeepsBothTransliterations_WithScoresCloseToFloat32()
    {
        var model = CTranslate2ModelReader.Load(SharedDataFactAttribute.Require(Folder));   // its own copy: precision is per model
        model.Model.InferencePrecision = InferencePrecision.Int8;
        var results = CTranslate2Greedy.Decode(model, ["آ ت ز م و ن", "آ ت ش ي س و ن"]);
        Assert.Equal("a t z m o n", model.TargetTokenizer.Decode(results[0].Ids));
        Assert.Equal("a c h i s o n", model.TargetTokenizer.Decode(results[1].Ids));
        Assert.InRange(results[0].LogProbability, -1.061749 - 0.05, -1.061749 + 0.05);
        Assert.InRange(results[1].LogProbability, -1.113597 - 0.05, -1.113597 + 0.05);
        Assert.NotEqual(-1.061749, results[0].LogProbability, 4);   // int8 really ran
    }

    [SharedDataFact(Folder)]
    public void Greedy_PaddedBatch_EqualsOneSentenceAtATime()
    {
        string[] sentences = ["آ ت ش ي س و ن", "آ ت ز م و ن", "ز"];
        var batched = CTranslate2Greedy.Decode(Model.Value, sentences);
        for (int i = 0; i < sentences.Length; i++)
        {
            var alone = CTranslate2Greedy.Decode(Model.Value, [sentences[i]])[0];
            Assert.Equal(alone.Ids, batched[i].Ids);
            Assert.Equal(alone.LogProbability, batched[i].LogProbability, 4);
        }
    }

    [SharedDataFact(Folder)]
    public void Load_InfersCTranslate2sArchitectureAndSpecialIds()
    {
        var translator = Model.Value;
        var t = translator.Config.Transformer!;
        Assert.Equal((51, 43), (translator.Config.SourceVocabulary, translator.Config.TargetVocabulary));
        Assert.Equal((32, 8, 128, 6, 6), (t.DModel, t.Heads, t.FfnDim, t.EncoderLayers, t.DecoderLayers));
        Assert.True(t.PreNorm);
        Assert.True(t.ScaleEmbeddings);
        Assert.True(t.FinalLogitsBias);
        Assert.False(t.TieOutputToEmbedding);
        Assert.False(translator.Config.TieSourceTargetEmbeddings);
        Assert.Equal(TransformerPositionKind.SinusoidalOpenNmt, t.Positions);
        // <blank> 0, <s> 1, </s> 2; <unk> is appended after the 42 listed target tokens.
        Assert.Equal(new SpecialIds(Pad: 0, Start: 1, End: 2, Unknown: 42), translator.Ids);
        Assert.False(translator.AppendSourceEnd);
        Assert.False(translator.Model.IsTraining);
    }

    private void AssertTransliterates(string source, string expected)
    {
        var result = CTranslate2Greedy.Decode(Model.Value, [source])[0];
        string text = Model.Value.TargetTokenizer.Decode(result.Ids);
        output.WriteLine($"{source} -> {text}: sum log p = {result.LogProbability:F6} over {result.ScoredTokens} tokens (</s> included), " +
            $"normalised {result.Normalised:F6}");
        Assert.Equal(expected, text);
    }

    private static void AssertScores(string source, string target, double[] expected)
    {
        var translator = Model.Value;
        using var noGrad = GradMode.Disable();
        int[] sourceIds = translator.SourceTokenizer.Encode(source), targetIds = translator.TargetTokenizer.Encode(target);
        int[] input = [translator.Ids.Start, .. targetIds], gold = [.. targetIds, translator.Ids.End];
        var logits = translator.Model.Forward(new IntTensor(sourceIds, 1, sourceIds.Length),
            Tensor.Zeros(1, sourceIds.Length), new IntTensor(input, 1, input.Length));   // (1, tgtLen, vocab)
        var logProbabilities = logits.LogSoftmax();
        Assert.Equal(expected.Length, gold.Length);
        for (int t = 0; t < gold.Length; t++)
            Assert.True(Math.Abs(logProbabilities[0, t, gold[t]] - expected[t]) <= 1e-4 * Math.Abs(expected[t]) + 1e-6,
                $"{target}, token {t}: {logProbabilities[0, t, gold[t]]} vs CTranslate2 {expected[t]}");
    }
}
