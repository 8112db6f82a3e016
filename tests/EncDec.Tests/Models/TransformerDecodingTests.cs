using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Tests.Models;

/// <summary>Incremental decoding with <see cref="TransformerDecoderState"/> against teacher forcing.</summary>
public class TransformerDecodingTests
{
    private static readonly int[][] Sources = [[3, 4, 5, 6, 7], [8, 9, 10], [2, 7, 3, 9]];
    private static readonly int[][] Targets = [[1, 5, 6, 7], [1, 8], [1, 9, 9]];

    /// <summary>Logits (vocab) of row b at position t of (batch, tgtLen, vocab) logits.</summary>
    private static float[] At(Tensor logits, int b, int t) =>
        logits.Narrow(0, b, 1).Narrow(1, t, 1).ToArray();

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void CachedDecoding_MatchesTeacherForcing_AtEveryPosition(bool preNorm, bool tied)
    {
        var model = new TransformerTestModel(preNorm, tied);
        var encoded = model.Encode(Sources);
        var targets = TransformerTestModel.Ids(Targets);
        var full = model.Decoder.Forward(targets, encoded);   // (batch, tgtLen, vocab)

        var state = model.Decoder.Start(encoded);
        for (int t = 0; t < targets.Shape[1]; t++)
        {
            var step = model.Decoder.Step(RnnModelKit.Column(targets, t), state);   // (batch, vocab)
            Assert.Equal(t + 1, state.Length);
            for (int b = 0; b < Sources.Length; b++)
                Assert.True(TransformerTestModel.MaxAbsDifference(At(full, b, t), step.Narrow(0, b, 1).ToArray()) <= 1e-5f,
                    $"row {b}, position {t}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CachedDecoding_InsideTensorScopes_MatchesTeacherForcing(bool preNorm)
    {
        var model = new TransformerTestModel(preNorm);
        var encoded = model.Encode(Sources);
        var targets = TransformerTestModel.Ids(Targets);
        var full = model.Decoder.Forward(targets, encoded).ToArray();
        int tgtLen = targets.Shape[1], vocab = model.Decoder.VocabularySize;

        var state = model.Decoder.Start(encoded);
        for (int t = 0; t < tgtLen; t++)
        {
            float[] step;
            using (TensorScope.Begin())
                step = model.Decoder.Step(RnnModelKit.Column(targets, t), state).ToArray();
            for (int b = 0; b < Sources.Length; b++)
                for (int v = 0; v < vocab; v++)
                    Assert.True(MathF.Abs(full[(b * tgtLen + t) * vocab + v] - step[b * vocab + v]) <= 1e-5f);
        }
    }

    [Theory]
    [InlineData(false, new[] { 2, 0, 2, 1 })]   // repeats grow the batch (beam expansion)
    [InlineData(true, new[] { 2, 0, 2, 1 })]
    [InlineData(false, new[] { 1 })]            // omissions shrink it (finished hypotheses)
    [InlineData(true, new[] { 2, 0 })]
    public void Reorder_EqualsDecodingTheReorderedBatchFromScratch(bool preNorm, int[] order)
    {
        var model = new TransformerTestModel(preNorm);
        var targets = TransformerTestModel.Ids(Targets);

        var state = model.Decoder.Start(model.Encode(Sources));
        model.Decoder.Step(RnnModelKit.Column(targets, 0), state);
        model.Decoder.Step(RnnModelKit.Column(targets, 1), state);
        state.Reorder(order);
        Assert.Equal(order.Length, state.BatchSize);
        var reorderedTargets = TransformerTestModel.Ids(order.Select(i => Targets[i]).ToArray(), length: targets.Shape[1]);
        var afterReorder = model.Decoder.Step(RnnModelKit.Column(reorderedTargets, 2), state).ToArray();

        var fresh = model.Decoder.Start(model.Encode(order.Select(i => Sources[i]).ToArray(), length: 5));
        Tensor? expected = null;
        for (int t = 0; t < 3; t++) expected = model.Decoder.Step(RnnModelKit.Column(reorderedTargets, t), fresh);

        Assert.True(TransformerTestModel.MaxAbsDifference(expected!.ToArray(), afterReorder) <= 1e-5f);
        Assert.True(TransformerTestModel.MaxAbsDifference(fresh.LastAttention!.ToArray(), state.LastAttention!.ToArray()) <= 1e-5f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LastAttention_RowsSumToOne_AndIgnorePaddedSource(bool preNorm)
    {
        var model = new TransformerTestModel(preNorm);
        var state = model.Decoder.Start(model.Encode(Sources));
        Assert.Null(state.LastAttention);
        model.Decoder.Step(new IntTensor([1, 1, 1], 3), state);
        var attention = state.LastAttention!;   // (batch, srcLen)
        Assert.Equal([3, 5], attention.Shape.ToArray());
        for (int b = 0; b < Sources.Length; b++)
        {
            float sum = 0f;
            for (int j = 0; j < 5; j++)
            {
                if (j >= Sources[b].Length) Assert.Equal(0f, attention[b, j]);
                sum += attention[b, j];
            }
            Assert.Equal(1f, sum, 1e-5f);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PaddedSourceTokens_ChangeNothing(bool preNorm)
    {
        var model = new TransformerTestModel(preNorm);
        var mask = TransformerTestModel.PaddingMask(Sources);
        var targets = TransformerTestModel.Ids(Targets);
        var withPad = model.Encoder.Encode(TransformerTestModel.Ids(Sources), mask);
        var withJunk = model.Encoder.Encode(TransformerTestModel.Ids(Sources, fill: 7), mask);

        Assert.True(TransformerTestModel.MaxAbsDifference(withPad.Memory.ToArray(), withJunk.Memory.ToArray()) <= 1e-6f);
        var logits = model.Decoder.Forward(targets, withPad).ToArray();
        var junkLogits = model.Decoder.Forward(targets, withJunk).ToArray();
        Assert.True(TransformerTestModel.MaxAbsDifference(logits, junkLogits) <= 1e-6f);
    }

    [Fact]
    public void Reorder_RejectsRowsOutsideTheBatch()
    {
        var model = new TransformerTestModel(preNorm: false);
        var state = model.Decoder.Start(model.Encode(Sources));
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Reorder([0, 3]));
    }

    [Fact]
    public void Step_RejectsAForeignState()
    {
        var model = new TransformerTestModel(preNorm: false);
        Assert.Throws<ArgumentException>(() => model.Decoder.Step(new IntTensor([1], 1), new ForeignState()));
    }

    private sealed class ForeignState : IDecoderState
    {
        public int BatchSize => 1;
        public int Length => 0;
        public Tensor? LastAttention => null;
        public Tensor? LastAttentionHeads => null;
        public void Reorder(ReadOnlySpan<int> indices) { }
    }
}
