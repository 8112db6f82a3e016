using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Operations;

[Collection(nameof(GemmSerialCollection))]   // changes the process-wide thread count
public class MaskOpsTests
{
    /// <summary>A padding mask (batch, 1, 1, srcLen): 1 at key positions at or beyond each sequence's length.</summary>
    private static Tensor PaddingMask(int[] lengths, int srcLen)
    {
        var values = new float[lengths.Length * srcLen];
        for (int b = 0; b < lengths.Length; b++)
            for (int s = lengths[b]; s < srcLen; s++) values[b * srcLen + s] = 1f;
        return Tensor.FromArray(values, lengths.Length, 1, 1, srcLen);
    }

    [Fact]
    public void MaskedFill_AttentionPaddingMask_FillsPaddedKeys()
    {
        // scores (batch 2, heads 2, tgtLen 3, srcLen 4) against a (2, 1, 1, 4) mask.
        var scores = GradientCheck.RandomInputs(1, -1, 1, [2, 2, 3, 4])[0];
        var y = scores.MaskedFill(PaddingMask([3, 1], 4), float.NegativeInfinity);
        Assert.Equal([2, 2, 3, 4], y.Shape.ToArray());
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 2; h++)
                for (int t = 0; t < 3; t++)
                    for (int s = 0; s < 4; s++)
                        Assert.Equal(s >= (b == 0 ? 3 : 1) ? float.NegativeInfinity : scores[b, h, t, s], y[b, h, t, s]);
    }

    [Fact]
    public void MaskedFill_AttentionPaddingMask_GradientsMatch() =>
        GradientCheck.Verify(t => t[0].MaskedFill(PaddingMask([3, 1], 4), -5f), GradientCheck.RandomInputs(2, -1, 1, [2, 2, 3, 4]));

    [Fact]
    public void MaskedFill_MaskedPositions_GetNoGradient_AndMaskGetsNone()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var mask = Tensor.FromArray([0f, 1f, 0f], 3);
        x.RequiresGrad = true;
        mask.RequiresGrad = true;
        var y = x.MaskedFill(mask, -1f);
        Assert.Equal([1f, -1f, 3f, 4f, -1f, 6f], y.ToArray());
        y.Backward(Tensor.FromArray([10f, 20f, 30f, 40f, 50f, 60f], 2, 3));
        Assert.Equal([10f, 0f, 30f, 40f, 0f, 60f], x.Grad!.ToArray());
        Assert.Null(mask.Grad);
    }

    [Fact]
    public void MaskedFill_ColumnMask_AndNonContiguousInputs_GradientsMatch()
    {
        // A (2, 1, 3, 1) mask is constant along the innermost run; x is a permuted view; the mask is a transposed view.
        var mask = Tensor.FromArray([1f, 0f, 0f, 0f, 1f, 0f], 2, 3).Reshape(2, 1, 3, 1);
        var transposedMask = Tensor.FromArray([0f, 1f, 1f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f], 4, 3).Transpose();   // (3, 4)
        GradientCheck.Verify(t => t[0].Permute(0, 2, 1, 3).MaskedFill(mask, 7f).MaskedFill(transposedMask, -7f),
            GradientCheck.RandomInputs(3, -1, 1, [2, 3, 2, 4]));
    }

    [Fact]
    public void MaskedFill_LongRows_MatchReference()
    {
        var x = GradientCheck.RandomInputs(4, -1, 1, [3, 5, 40])[0];
        var mask = GradientCheck.RandomInputs(5, -1, 1, [5, 40])[0];
        var maskValues = mask.ToArray();
        for (int i = 0; i < maskValues.Length; i++) maskValues[i] = maskValues[i] > 0 ? 1f : 0f;
        var binary = Tensor.FromArray(maskValues, 5, 40);
        var expected = x.ToArray();
        for (int i = 0; i < expected.Length; i++) if (maskValues[i % 200] != 0f) expected[i] = 3f;
        Assert.Equal(expected, x.MaskedFill(binary, 3f).ToArray());
    }

    [Fact]
    public void MaskedFill_MaskThatWouldEnlargeX_NamesBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 1, 4).MaskedFill(Tensor.Zeros(2, 3, 4), 0f));
        Assert.Contains("MaskedFill", error.Message);
        Assert.Contains("(2, 1, 4)", error.Message);
        Assert.Contains("(2, 3, 4)", error.Message);
        var incompatible = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 4).MaskedFill(Tensor.Zeros(3), 0f));
        Assert.Contains("(3,)", incompatible.Message);
        Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(3, 4).MaskedFill(Tensor.Zeros(1, 3, 4), 0f));
    }

    [Fact]
    public void Where_Broadcast_PicksElementwise()
    {
        var condition = Tensor.FromArray([1f, 0f, 1f], 3);
        var a = Tensor.FromArray([10f, 20f], 2, 1);
        var b = Tensor.FromArray([-1f, -2f, -3f, -4f, -5f, -6f], 2, 3);
        var y = TensorOps.Where(condition, a, b);
        Assert.Equal([2, 3], y.Shape.ToArray());
        Assert.Equal([10f, -2f, 10f, 20f, -5f, 20f], y.ToArray());
        Assert.Equal([7f, 7f, 7f, 20f, 20f, 20f],
            TensorOps.Where(Tensor.FromArray([0f, 1f], 2, 1), Tensor.FromArray([20f], 1), Tensor.Full(7f, 3)).ToArray());
    }

    public static TheoryData<int[], int[], int[]> WhereShapes => new()
    {
        { new[] { 3, 4 }, new[] { 3, 4 }, new[] { 3, 4 } },
        { new[] { 2, 1, 4 }, new[] { 3, 1 }, new[] { 2, 3, 4 } },
        { new[] { 4 }, new[] { 2, 3, 1 }, new[] { 1, 4 } },
        { new[] { 2, 3, 1 }, System.Array.Empty<int>(), new[] { 3, 4 } },
    };

    [Theory, MemberData(nameof(WhereShapes))]
    public void Where_Broadcast_GradientsMatch(int[] conditionShape, int[] aShape, int[] bShape)
    {
        var random = new Random(6);
        var values = new float[ShapeMath.Count(conditionShape)];
        for (int i = 0; i < values.Length; i++) values[i] = random.Next(2);
        var condition = Tensor.FromArray(values, conditionShape);
        GradientCheck.Verify(t => TensorOps.Where(condition, t[0], t[1]), GradientCheck.RandomInputs(7, -1, 1, aShape, bShape));
    }

    [Fact]
    public void Where_NonContiguousInputs_GradientsMatch()
    {
        var condition = Tensor.FromArray([1f, 0f, 0f, 1f, 1f, 0f, 1f, 1f, 0f, 0f, 1f, 0f], 4, 3).Transpose();   // (3, 4)
        GradientCheck.Verify(t => TensorOps.Where(condition, t[0].Transpose(), t[1].Narrow(1, 1, 4)),
            GradientCheck.RandomInputs(8, -1, 1, [4, 3], [3, 6]));
    }

    [Fact]
    public void Where_ConditionGetsNoGradient_AndBranchesSplitIt()
    {
        var condition = Tensor.FromArray([1f, 0f, 1f, 0f], 4);
        condition.RequiresGrad = true;
        var a = Tensor.Full(1f, 4);
        var b = Tensor.Full(2f, 1);
        a.RequiresGrad = b.RequiresGrad = true;
        TensorOps.Where(condition, a, b).Backward(Tensor.FromArray([1f, 2f, 3f, 4f], 4));
        Assert.Equal([1f, 0f, 3f, 0f], a.Grad!.ToArray());
        Assert.Equal([6f], b.Grad!.ToArray());
        Assert.Null(condition.Grad);
    }

    [Fact]
    public void Where_IncompatibleShapes_NameOperationAndShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => TensorOps.Where(Tensor.Zeros(3), Tensor.Zeros(2, 3), Tensor.Zeros(4, 3)));
        Assert.Contains("Where", error.Message);
        Assert.Contains("(2, 3)", error.Message);
        Assert.Contains("(4, 3)", error.Message);
        var condition = Assert.Throws<ShapeMismatchException>(() => TensorOps.Where(Tensor.Zeros(5), Tensor.Zeros(2, 3), Tensor.Zeros(3)));
        Assert.Contains("(5,)", condition.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LongMasks_SplitIntoSlabs_MatchElementwiseDefinition(int threads)
    {
        // Attention-sized scores (24, 4, 30, 30) = 86,400 elements, above the split threshold, with a padding mask, a
        // causal mask and a transposed (non-contiguous) input.
        using var scope = ThreadCountScope.Use(threads);
        const int B = 24, H = 4, T = 30;
        var lengths = Enumerable.Range(0, B).Select(b => 1 + b % T).ToArray();
        var padding = PaddingMask(lengths, T);
        var causal = Tensor.FromArray(Enumerable.Range(0, T * T).Select(i => i % T > i / T ? 1f : 0f).ToArray(), 1, 1, T, T);
        var inputs = GradientCheck.RandomInputs(12, -1, 1, [B, H, T, T], [B, H, T, T], [B, H, T, T]);
        foreach (var input in inputs) input.RequiresGrad = true;
        var (x, upstream) = (inputs[0], inputs[1].ToArray());
        var transposed = inputs[2].Transpose();          // (B, H, T, T) non-contiguous
        var filled = x.MaskedFill(padding, -5f);
        var both = transposed.MaskedFill(causal, 7f);
        var picked = TensorOps.Where(causal, x, transposed);
        var weights = Tensor.FromArray(upstream, B, H, T, T);
        ((filled * weights).Sum() + (both * weights).Sum() + (picked * weights).Sum()).Backward();
        float[] xs = x.ToArray(), ts = transposed.ToArray(), f = filled.ToArray(), c = both.ToArray(), w = picked.ToArray();
        float[] dx = x.Grad!.ToArray(), dt = inputs[2].Grad!.Transpose().Contiguous().ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            int b = i / (H * T * T), key = i % T, query = i / T % T;
            bool padded = key >= lengths[b], future = key > query;
            Assert.Equal(padded ? -5f : xs[i], f[i]);
            Assert.Equal(future ? 7f : ts[i], c[i]);
            Assert.Equal(future ? xs[i] : ts[i], w[i]);
            Assert.Equal((padded ? 0f : upstream[i]) + (future ? upstream[i] : 0f), dx[i], 1e-6f);
            Assert.Equal((future ? 0f : upstream[i]) + (future ? 0f : upstream[i]), dt[i], 1e-6f);
        }
    }

    [Fact]
    public void Masks_InsideScope_AllocateNothingAfterWarmUp()
    {
        var inputs = GradientCheck.RandomInputs(9, -1, 1, [2, 2, 3, 4], [4]);
        foreach (var input in inputs) input.RequiresGrad = true;
        var mask = PaddingMask([3, 1], 4);
        void Step()
        {
            using var scope = TensorScope.Begin();
            (inputs[0].MaskedFill(mask, -9f).Sum() + TensorOps.Where(mask, inputs[1], inputs[0]).Sum()).Backward();
        }
        AllocationAssert.ZeroAfterWarmUp(Step);
    }
}
