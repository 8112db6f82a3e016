using EncDec.Autograd;
using EncDec.Models;
using EncDec.Models.Inference;
using EncDec.Nn;
using EncDec.Tensors;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Models.Inference;

/// <summary>
/// The frozen inference path (gradients off, evaluation mode) against the autograd path it replaces, on every
/// Transformer preset shrunk to a tiny size with every parameter perturbed (so norms, biases and the final logits
/// bias all matter): encoder memory, step logits against teacher forcing over more positions than the first cache
/// capacity, reordering, attention, and rebuilding after the weights change.
/// </summary>
[Collection(nameof(GemmSerialCollection))]
public class FrozenTransformerTests
{
    internal const int Vocabulary = 23;
    private const int Steps = 37;   // more steps than the initial cache capacity of 16 (two growths)
    private const float Tolerance = 2e-4f;

    private static readonly int[][] Sources = [[3, 4, 5, 6, 7, 8, 9], [8, 9, 10], [2, 7, 3, 9, 11]];

    public static TheoryData<string> TransformerPresets => new(ModelPresets.Names.Where(
        name => ModelPresets.Get(name, Vocabulary, Vocabulary).Family == ModelFamily.Transformer));

    [Theory]
    [MemberData(nameof(TransformerPresets))]
    public void FrozenEncoder_MatchesTheAutogradEncoder(string preset) => AssertEncoderMatchesAutograd(Build(preset), Sources);

    [Theory]
    [InlineData("transformer", 2)]
    [InlineData("t5", 2)]
    [InlineData("transformer", 5)]   // more threads than groups of sentences: two of them carry the sentences
    public void FrozenEncoder_WithSentencesSplitAcrossThreads_MatchesTheAutogradEncoder(string preset, int threadCount)
    {
        // Enough sentences that each of two threads carries its own through every layer; an odd count splits unevenly.
        var sources = Enumerable.Range(0, 2 * FrozenTransformerEncoder.SentencesPerThread + 1)
            .Select(i => Sources[i % Sources.Length].Skip(i % 2).ToArray()).ToArray();
        using var threads = ThreadCountScope.Use(threadCount);
        AssertEncoderMatchesAutograd(Build(preset), sources);
    }

    private static void AssertEncoderMatchesAutograd(EncoderDecoderModel model, int[][] sources)
    {
        var reference = model.Encode(SourceIds(sources), SourceMask(sources)).Memory.ToArray();   // gradients on

        using var noGrad = GradMode.Disable();
        var frozen = model.Encode(SourceIds(sources), SourceMask(sources)).Memory.ToArray();
        AssertClose(reference, frozen, "memory");
    }

    [Theory]
    [MemberData(nameof(TransformerPresets))]
    public void FrozenSteps_MatchTeacherForcing_AtEveryPosition(string preset) =>
        AssertStepsMatchTeacherForcing(Build(preset), Sources, Steps, seed: 5, preset);

    [Theory]
    [InlineData("transformer", 2)]
    [InlineData("t5", 2)]
    [InlineData("transformer", 5)]   // more threads than groups of rows: two of them carry the rows
    public void FrozenSteps_WithRowsSplitAcrossThreads_MatchTeacherForcing(string preset, int threadCount)
    {
        // Enough rows that a step hands each of two threads its own rows through every layer.
        var sources = Enumerable.Range(0, 2 * FrozenTransformerDecoder.RowsPerThread + 3)
            .Select(i => Sources[i % Sources.Length].Skip(i % 2).ToArray()).ToArray();
        using var threads = ThreadCountScope.Use(threadCount);
        AssertStepsMatchTeacherForcing(Build(preset), sources, steps: 20, seed: 7, preset);
    }

    /// <summary>Frozen step logits of <paramref name="sources"/> at every one of <paramref name="steps"/> random target
    /// positions (drawn from <paramref name="seed"/>) against the autograd decoder's teacher-forced logits.</summary>
    private static void AssertStepsMatchTeacherForcing(EncoderDecoderModel model, int[][] sources, int steps, int seed, string preset)
    {
        var targets = RandomTargets(sources.Length, steps, seed);
        using var noGrad = GradMode.Disable();
        var encoded = model.Encode(SourceIds(sources), SourceMask(sources));
        var full = model.Decoder.Forward(targets, encoded).ToArray();   // (batch, steps, vocab), the autograd path

        var state = model.StartDecoding(encoded);
        Assert.IsType<FrozenDecoderState>(state);
        for (int t = 0; t < steps; t++)
        {
            var logits = model.Step(Column(targets, t), state).ToArray();   // (batch, vocab)
            for (int b = 0; b < sources.Length; b++)
                AssertClose(full.AsSpan((b * steps + t) * Vocabulary, Vocabulary).ToArray(),
                    logits.AsSpan(b * Vocabulary, Vocabulary).ToArray(), $"{preset}, row {b}, position {t}");
        }
        Assert.Equal(steps, state.Length);
    }

    [Theory]
    [InlineData("transformer", new[] { 2, 0, 2, 1 })]   // repeats grow the batch (beam expansion)
    [InlineData("t5", new[] { 2, 0, 2, 1 })]
    [InlineData("bart", new[] { 1 })]                  // omissions shrink it (finished hypotheses)
    [InlineData("marian", new[] { 2, 0 })]
    [InlineData("transformer", new[] { 2, 0, 2, 1 }, InferencePrecision.Int8)]   // bfloat16 caches: grown, then copied
    [InlineData("t5", new[] { 1, 2 }, InferencePrecision.Int8)]
    public void Reorder_EqualsDecodingTheReorderedBatchFromScratch(string preset, int[] order,
        InferencePrecision precision = InferencePrecision.Float32) => AssertReorderMatchesFreshDecoding(preset, order, precision);

    [Theory]
    [InlineData("transformer", InferencePrecision.Float32)]
    [InlineData("transformer", InferencePrecision.Int8)]
    public void Reorder_WithRowsSplitAcrossThreads_EqualsDecodingTheReorderedBatchFromScratch(string preset, InferencePrecision precision)
    {
        // Enough rows that the caches' copies are spread over two threads (FrozenDecoderState copies small ones serially).
        var order = Enumerable.Range(0, 24).Select(i => i * 7 % Sources.Length).ToArray();
        using var threads = ThreadCountScope.Use(2);
        AssertReorderMatchesFreshDecoding(preset, order, precision);
    }

    private static void AssertReorderMatchesFreshDecoding(string preset, int[] order, InferencePrecision precision)
    {
        var model = Build(preset);
        model.InferencePrecision = precision;
        var targets = RandomTargets(Sources.Length, 20, seed: 9);
        var reorderedSources = order.Select(i => Sources[i]).ToArray();
        var reorderedTargets = Rows(targets, order);
        using var noGrad = GradMode.Disable();

        var state = model.StartDecoding(model.Encode(SourceIds(Sources), SourceMask(Sources)));
        for (int t = 0; t < 18; t++) model.Step(Column(targets, t), state);   // past the first capacity growth
        state.Reorder(order);
        Assert.Equal(order.Length, state.BatchSize);
        var afterReorder = model.Step(Column(reorderedTargets, 18), state).ToArray();
        var attention = state.LastAttention!.ToArray();

        // The same padded width as the original batch, so attention rows line up.
        var fresh = model.StartDecoding(model.Encode(SourceIds(reorderedSources, 7), SourceMask(reorderedSources, 7)));
        float[] expected = [];
        for (int t = 0; t <= 18; t++) expected = model.Step(Column(reorderedTargets, t), fresh).ToArray();
        AssertClose(expected, afterReorder, "logits after reorder");
        AssertClose(fresh.LastAttention!.ToArray(), attention, "attention after reorder");
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("transformer-preln")]
    public void Attention_MatchesTheAutogradState(string preset)
    {
        var model = Build(preset);
        var targets = RandomTargets(Sources.Length, 4, seed: 3);
        var autograd = model.StartDecoding(model.Encode(SourceIds(Sources), SourceMask(Sources)));   // gradients on
        using var noGrad = GradMode.Disable();
        var frozen = model.StartDecoding(model.Encode(SourceIds(Sources), SourceMask(Sources)));
        Assert.Null(frozen.LastAttention);
        for (int t = 0; t < 4; t++)
        {
            model.Step(Column(targets, t), autograd);
            model.Step(Column(targets, t), frozen);
            AssertClose(autograd.LastAttention!.ToArray(), frozen.LastAttention!.ToArray(), $"average, step {t}");
            Assert.Equal(autograd.LastAttentionHeads!.Shape.ToArray(), frozen.LastAttentionHeads!.Shape.ToArray());
            AssertClose(autograd.LastAttentionHeads.ToArray(), frozen.LastAttentionHeads.ToArray(), $"heads, step {t}");
        }
    }

    [Fact]
    public void ChangedWeights_AreUsedByTheNextSearch()
    {
        var model = Build("transformer");
        var target = Column(RandomTargets(Sources.Length, 1, seed: 1), 0);
        using var noGrad = GradMode.Disable();
        var encoded = model.Encode(SourceIds(Sources), SourceMask(Sources));
        var before = model.Step(target, model.StartDecoding(encoded)).ToArray();

        // As an optimizer would: write the parameters in place, announcing nothing.
        foreach (var parameter in ((Module)model.Decoder).Parameters()) parameter.AsSpan()[0] += 0.25f;
        var encodedAgain = model.Encode(SourceIds(Sources), SourceMask(Sources));
        var after = model.Step(target, model.StartDecoding(encodedAgain)).ToArray();
        var expected = model.Decoder.Forward(new IntTensor(target.AsSpan(), Sources.Length, 1), encodedAgain).ToArray();

        AssertClose(expected, after, "logits after the weights changed");
        Assert.True(TransformerTestModelDifference(before, after) > 1e-3f, "the change must be visible at all");
    }

    [Fact]
    public void TrainingMode_KeepsTheAutogradState()
    {
        var model = Build("transformer");
        model.Train();
        using var noGrad = GradMode.Disable();
        var state = model.StartDecoding(model.Encode(SourceIds(Sources), SourceMask(Sources)));
        Assert.IsType<TransformerDecoderState>(state);
    }

    internal static EncoderDecoderModel Build(string preset)
    {
        var config = ModelPresets.Get(preset, Vocabulary, Vocabulary);
        config = config with
        {
            Transformer = config.Transformer! with
            {
                DModel = 32, Heads = 4, FfnDim = 48, EncoderLayers = 2, DecoderLayers = 2, Dropout = 0f, MaxLength = 64,
            },
        };
        var model = ModelBuilder.Build(config);
        var rng = new Random(17);
        foreach (var parameter in model.Parameters())
        {
            var values = parameter.AsSpan();
            for (int i = 0; i < values.Length; i++) values[i] += (float)(rng.NextDouble() - 0.5) * 0.2f;
        }
        model.Eval();
        return model;
    }

    internal static IntTensor SourceIds(int[][] rows, int? width = null) => Models.TransformerTestModel.Ids(rows, length: width);

    internal static Tensor SourceMask(int[][] rows, int? width = null) => Models.TransformerTestModel.PaddingMask(rows, width);

    /// <summary>(rows, length) random ids in [4, vocab).</summary>
    internal static IntTensor RandomTargets(int rows, int length, int seed)
    {
        var rng = new Random(seed);
        return new IntTensor(Enumerable.Range(0, rows * length).Select(_ => rng.Next(4, Vocabulary)).ToArray(), rows, length);
    }

    internal static IntTensor Column(IntTensor ids, int t)
    {
        int rows = ids.Shape[0], length = ids.Shape[1];
        return new IntTensor(Enumerable.Range(0, rows).Select(r => ids.AsSpan()[r * length + t]).ToArray(), rows);
    }

    private static IntTensor Rows(IntTensor ids, int[] order)
    {
        int length = ids.Shape[1];
        return new IntTensor(order.SelectMany(r => ids.AsSpan().Slice(r * length, length).ToArray()).ToArray(), order.Length, length);
    }

    private static float TransformerTestModelDifference(float[] a, float[] b) => Models.TransformerTestModel.MaxAbsDifference(a, b);

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= Tolerance * Math.Max(1f, MathF.Abs(expected[i])),
                $"{what}: element {i} is {actual[i]}, expected {expected[i]}");
    }
}
