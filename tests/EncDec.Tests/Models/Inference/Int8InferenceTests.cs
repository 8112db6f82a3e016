using EncDec.Autograd;
using EncDec.Models;
using EncDec.Models.Inference;
using EncDec.Tensors;
using EncDec.Tests.Kernels;
using static EncDec.Tests.Models.Inference.FrozenTransformerTests;

namespace EncDec.Tests.Models.Inference;

/// <summary>
/// <see cref="InferencePrecision.Int8"/> on the frozen Transformer path: close to float32 on every preset (memory and
/// step logits), switching precision rebuilds the frozen weights both ways, the row split across threads gives the
/// same logits as one thread, and a model without a Transformer part refuses int8 clearly.
/// </summary>
[Collection(nameof(GemmSerialCollection))]
public class Int8InferenceTests
{
    private static readonly int[][] Sources = [[3, 4, 5, 6, 7, 8, 9], [8, 9, 10], [2, 7, 3, 9, 11]];

    public static TheoryData<string> TransformerPresets => FrozenTransformerTests.TransformerPresets;

    [Theory]
    [MemberData(nameof(TransformerPresets))]
    public void Int8_IsCloseToFloat32_InMemoryAndStepLogits(string preset)
    {
        var model = Build(preset);
        var targets = RandomTargets(Sources.Length, 12, seed: 3);
        var (floatMemory, floatLogits) = Decode(model, Sources, targets);
        model.InferencePrecision = InferencePrecision.Int8;
        var (int8Memory, int8Logits) = Decode(model, Sources, targets);

        // Each projection is off by about 0.5% of its output; through 2+2 layers that stays within a few percent.
        Assert.InRange(RelativeError(floatMemory, int8Memory), 1e-6, 0.05);
        Assert.InRange(RelativeError(floatLogits, int8Logits), 1e-6, 0.05);
    }

    [Fact]
    public void SwitchingPrecision_RebuildsTheFrozenWeights_BothWays()
    {
        var model = Build("transformer");
        var targets = RandomTargets(Sources.Length, 3, seed: 4);
        var (_, float32) = Decode(model, Sources, targets);
        model.InferencePrecision = InferencePrecision.Int8;
        Assert.Equal(InferencePrecision.Int8, model.InferencePrecision);
        var (_, int8) = Decode(model, Sources, targets);
        model.InferencePrecision = InferencePrecision.Float32;
        var (_, again) = Decode(model, Sources, targets);
        Assert.NotEqual(float32, int8);
        Assert.Equal(float32, again);
    }

    [Fact]
    public void RowSplitAcrossThreads_GivesTheSameInt8LogitsAsOneThread()
    {
        var sources = Enumerable.Range(0, 2 * FrozenTransformerDecoder.RowsPerThread + 1)
            .Select(i => Sources[i % Sources.Length].Skip(i % 3).ToArray()).ToArray();
        var model = Build("transformer-preln");
        model.InferencePrecision = InferencePrecision.Int8;
        var targets = RandomTargets(sources.Length, 10, seed: 6);
        float[] single, split;
        using (ThreadCountScope.Use(1)) (_, single) = Decode(model, sources, targets);
        using (ThreadCountScope.Use(2)) (_, split) = Decode(model, sources, targets);
        Assert.Equal(single, split);
    }

    [Fact]
    public void Int8_OnAModelWithoutTransformerParts_IsRefused()
    {
        var model = ModelBuilder.Build(ModelPresets.Get("bahdanau-gru", Vocabulary, Vocabulary));
        var error = Assert.Throws<NotSupportedException>(() => model.InferencePrecision = InferencePrecision.Int8);
        Assert.Contains("Transformer", error.Message);
        model.InferencePrecision = InferencePrecision.Float32;   // always allowed
        Assert.Throws<ArgumentOutOfRangeException>(() => model.InferencePrecision = (InferencePrecision)7);
    }

    /// <summary>The frozen memory and the step logits over every target position, flattened.</summary>
    private static (float[] Memory, float[] Logits) Decode(EncoderDecoderModel model, int[][] sources, IntTensor targets)
    {
        using var noGrad = GradMode.Disable();
        var encoded = model.Encode(SourceIds(sources), SourceMask(sources));
        using var state = model.StartDecoding(encoded);
        var logits = new List<float>();
        for (int t = 0; t < targets.Shape[1]; t++) logits.AddRange(model.Step(Column(targets, t), state).ToArray());
        return (encoded.Memory.ToArray(), logits.ToArray());
    }

    private static double RelativeError(float[] expected, float[] actual)
    {
        double error = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            error += Math.Pow(actual[i] - expected[i], 2);
            norm += (double)expected[i] * expected[i];
        }
        return Math.Sqrt(error / norm);
    }
}
