using System.Diagnostics;
using System.Text.Json.Nodes;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training;
using Xunit.Abstractions;
using static EncDec.Tests.Models.MemorisationData;

namespace EncDec.Tests.Models;

/// <summary>The t5, bart and marian presets: each variant decodes with its cache exactly as it does teacher-forced,
/// reorders, ignores padding, learns, and saves its configuration.</summary>
public class TransformerVariantTests(ITestOutputHelper output) : IDisposable
{
    private const int Vocabulary = 12;
    private static readonly int[][] Sources = [[3, 4, 5, 6, 7], [8, 9, 10], [2, 7, 3, 9]];
    private static readonly int[][] Targets = [[1, 5, 6, 7, 4], [1, 8], [1, 9, 9, 3]];
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-variants-").FullName;

    public static TheoryData<string> Variants => new(["t5", "bart", "marian"]);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The preset at dModel 16 (or <paramref name="dModel"/>), 2 heads, 2+2 layers, no dropout, vocabulary 12.</summary>
    private static ModelConfig Tiny(string preset, int dModel = 16, ulong seed = 3)
    {
        var config = ModelPresets.Get(preset, Vocabulary, Vocabulary);
        return config with
        {
            Seed = seed,
            Transformer = config.Transformer! with
            {
                DModel = dModel, Heads = 2, FfnDim = 2 * dModel, EncoderLayers = 2, DecoderLayers = 2, Dropout = 0f, MaxLength = 64,
            },
        };
    }

    private static EncoderDecoderModel Build(string preset, int dModel = 16, ulong seed = 3)
    {
        var model = ModelBuilder.Build(Tiny(preset, dModel, seed));
        model.Eval();
        return model;
    }

    private static EncoderOutput Encode(EncoderDecoderModel model, int[][] sources) =>
        model.Encode(TransformerTestModel.Ids(sources), TransformerTestModel.PaddingMask(sources));

    [Theory]
    [MemberData(nameof(Variants))]
    public void Logits_AreBatchByTargetLengthByVocabulary(string preset)
    {
        var model = Build(preset);
        var logits = model.Forward(TransformerTestModel.Ids(Sources), TransformerTestModel.PaddingMask(Sources),
            TransformerTestModel.Ids(Targets));
        Assert.Equal([3, 5, Vocabulary], logits.Shape.ToArray());
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void StepByStepLogits_EqualTeacherForcedLogits(string preset)
    {
        var model = Build(preset);
        var encoded = Encode(model, Sources);
        var targets = TransformerTestModel.Ids(Targets);
        var full = model.Decoder.Forward(targets, encoded);   // (batch, tgtLen, vocab)

        var state = model.StartDecoding(encoded);
        for (int t = 0; t < targets.Shape[1]; t++)
        {
            var step = model.Step(RnnModelKit.Column(targets, t), state);   // (batch, vocab)
            for (int b = 0; b < Sources.Length; b++)
                Assert.True(TransformerTestModel.MaxAbsDifference(full.Narrow(0, b, 1).Narrow(1, t, 1).ToArray(),
                    step.Narrow(0, b, 1).ToArray()) <= 1e-5f, $"{preset}: row {b}, position {t}");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Reorder_EqualsDecodingTheReorderedBatch(string preset)
    {
        var model = Build(preset);
        int[] order = [2, 0, 0];
        var targets = TransformerTestModel.Ids(Targets.Select(t => t.Take(2).ToArray()).ToArray(), fill: Bos);
        var reorderedTargets = TransformerTestModel.Ids(order.Select(i => Targets[i].Take(2).ToArray()).ToArray(), fill: Bos);

        var state = model.StartDecoding(Encode(model, Sources));
        model.Step(RnnModelKit.Column(targets, 0), state);
        state.Reorder(order);
        var afterReorder = model.Step(RnnModelKit.Column(reorderedTargets, 1), state).ToArray();

        var fresh = model.StartDecoding(Encode(model, order.Select(i => Sources[i]).ToArray()));
        model.Step(RnnModelKit.Column(reorderedTargets, 0), fresh);
        var expected = model.Step(RnnModelKit.Column(reorderedTargets, 1), fresh).ToArray();
        Assert.True(TransformerTestModel.MaxAbsDifference(expected, afterReorder) <= 1e-5f);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ExtraSourcePadding_DoesNotChangeTheLogits(string preset)
    {
        var model = Build(preset);
        var targets = TransformerTestModel.Ids(Targets);
        var tight = model.Decoder.Forward(targets, Encode(model, Sources)).ToArray();
        var ids = TransformerTestModel.Ids(Sources, length: 9);
        var padded = model.Decoder.Forward(targets, model.Encode(ids, TransformerTestModel.PaddingMask(Sources, 9))).ToArray();
        Assert.True(TransformerTestModel.MaxAbsDifference(tight, padded) <= 1e-5f);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Memorises16RandomPairs_ToZeroTokenErrors(string preset)
    {
        const int pairs = 16, maxSteps = 300;
        var random = new Random(11);
        var sources = Enumerable.Range(0, pairs).Select(_ => RandomSentence(random, 3, 8, Vocabulary)).ToArray();
        var targets = Enumerable.Range(0, pairs).Select(_ => RandomSentence(random, 3, 8, Vocabulary)).ToArray();
        var model = ModelBuilder.Build(Tiny(preset, dModel: 32, seed: 5));
        var (sourceIds, sourceMask) = PadSources(sources);
        var (targetInput, targetOutput) = TeacherForcing(targets);
        var optimizer = new Adam(model.Parameters(), learningRate: 3e-3f);

        var clock = Stopwatch.StartNew();
        int errors = int.MaxValue, step = 0;
        while (true)
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            var logits = model.Forward(sourceIds, sourceMask, targetInput);
            // Counted before the update, so stopping means zero errors with the current parameters.
            if ((step % 10 == 0 && (errors = TokenErrors(logits, targetOutput)) == 0) || step == maxSteps) break;
            logits.CrossEntropy(targetOutput, ignoreIndex: Pad).Backward();
            optimizer.Step();
            step++;
        }
        output.WriteLine($"{preset}: {errors} token errors after {step} Adam steps, {clock.ElapsedMilliseconds} ms");
        Assert.Equal(0, errors);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ConfigJson_RoundTrips(string preset)
    {
        var config = ModelPresets.Get(preset, 1234, 567) with { Seed = 7 };
        string path = Path.Combine(_folder, $"{preset}.json");
        config.Save(path);
        Assert.Equal(config, ModelConfig.Load(path));
    }

    [Fact]
    public void ConfigJson_WrittenBeforeTheVariantFields_LoadsWithTheirDefaults()
    {
        var config = ModelPresets.Get("transformer", 100, 100);
        string path = Path.Combine(_folder, "old.json");
        config.Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var transformer = json["transformer"]!.AsObject();
        foreach (var name in new[] { "norm", "bias", "scaleAttention", "positions", "learnedPositionOffset", "embeddingLayerNorm", "finalLogitsBias" })
            Assert.True(transformer.Remove(name), name);
        File.WriteAllText(path, json.ToJsonString());
        Assert.Equal(config, ModelConfig.Load(path));
    }

    [Fact]
    public void T5_HasRelativeBiasAndRmsNorms_AndNoBiasParameters()
    {
        var names = Build("t5").NamedParameters().Select(p => p.Name).ToList();
        Assert.DoesNotContain(names, n => n.EndsWith(".bias", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains("embed_positions", StringComparison.Ordinal));
        Assert.Contains("encoder.relative_attention_bias.weight", names);
        Assert.Contains("decoder.relative_attention_bias.weight", names);
        Assert.Contains("decoder.layers.0.ffn.wi_0.weight", names);
        Assert.Contains("decoder.layer_norm.weight", names);
    }

    [Fact]
    public void Bart_HasLearnedPositionsWithOffset2_EmbeddingNorm_AndFinalLogitsBias()
    {
        var model = Build("bart");
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Assert.Contains("encoder.layernorm_embedding.weight", parameters.Keys);
        Assert.Contains("decoder.layernorm_embedding.bias", parameters.Keys);
        Assert.Equal([Vocabulary], parameters["decoder.final_logits_bias"].Shape.ToArray());
        Assert.Equal([64 + 2, 16], parameters["decoder.embed_positions.weight"].Shape.ToArray());
        Assert.Contains("decoder.layers.0.self_attn.q_proj.bias", parameters.Keys);
    }

    [Fact]
    public void Marian_HasFixedPositions_FinalLogitsBias_AndATiedOutput()
    {
        var names = Build("marian").NamedParameters().Select(p => p.Name).ToList();
        Assert.Contains("decoder.final_logits_bias", names);
        Assert.DoesNotContain(names, n => n.Contains("embed_positions", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains("output_projection", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains("layernorm_embedding", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("t5", 11_178_496L)]
    [InlineData("bart", 9_897_792L)]
    [InlineData("marian", 9_633_600L)]
    public void ParameterCount_At8000Ids_IsTheDocumentedOne(string preset, long expected)
    {
        long count = ModelBuilder.Build(ModelPresets.Get(preset, 8000, 8000)).ParameterCount();
        output.WriteLine($"{preset}: {count} parameters");
        Assert.Equal(expected, count);
    }
}
