using EncDec.Autograd;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

public class ReductionOpsTests
{
    /// <summary>Values 0..count-1 times 0.25, in a fixed shuffled order: distinct and far apart, so that
    /// finite differences never swap which element is the maximum.</summary>
    private static Tensor SpacedValues(int seed, params int[] shape)
    {
        int count = ShapeMath.Count(shape);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = 0.25f * i - 2f;
        new Random(seed).Shuffle(values);
        return Tensor.FromArray(values, shape);
    }

    /// <summary>Reference reduction by explicit index arithmetic (independent of the op's layout code).</summary>
    private static float[] Reduce(Tensor x, int axis, Func<float, float, float> combine, float start)
    {
        var data = x.ToArray();
        var shape = x.Shape.ToArray();
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < shape.Length; d++) inner *= shape[d];
        var result = new float[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                float acc = start;
                for (int k = 0; k < shape[axis]; k++) acc = combine(acc, data[(o * shape[axis] + k) * inner + j]);
                result[o * inner + j] = acc;
            }
        return result;
    }

    [Fact]
    public void SumAndMean_All_AreRank0()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var sum = x.Sum();
        Assert.Equal(0, sum.Rank);
        Assert.Equal(21f, sum.Item());
        Assert.Equal(3.5f, x.Mean().Item());
        Assert.Equal(21f, x.Transpose().Sum().Item());
    }

    [Fact]
    public void Sum_All_Gradients_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => t[0].Sum() * t[1], GradientCheck.RandomInputs(1, -1, 1, [3, 4], [2]));

    [Fact]
    public void Mean_All_OfTransposed_GradientsMatch() =>
        GradientCheck.Verify(t => t[0].Transpose().Narrow(0, 1, 3).Mean() + t[0], GradientCheck.RandomInputs(2, -1, 1, [3, 4]));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(-3)]
    public void SumAndMean_Axis_MatchReference(int axis)
    {
        var x = GradientCheck.RandomInputs(3, -1, 1, [2, 3, 4])[0];
        int a = axis < 0 ? axis + 3 : axis;
        var expected = Reduce(x, a, (s, v) => s + v, 0f);
        var sum = x.Sum(axis).ToArray();
        var mean = x.Mean(axis).ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], sum[i], 5);
            Assert.Equal(expected[i] / x.Shape[a], mean[i], 5);
        }
    }

    [Theory]
    [InlineData(0, false, new[] { 3, 4 })]
    [InlineData(1, false, new[] { 2, 4 })]
    [InlineData(-1, false, new[] { 2, 3 })]
    [InlineData(0, true, new[] { 1, 3, 4 })]
    [InlineData(1, true, new[] { 2, 1, 4 })]
    [InlineData(-1, true, new[] { 2, 3, 1 })]
    public void Reductions_KeepDim_GiveExpectedShapes(int axis, bool keepDim, int[] expected)
    {
        var x = Tensor.Zeros(2, 3, 4);
        Assert.Equal(expected, x.Sum(axis, keepDim).Shape.ToArray());
        Assert.Equal(expected, x.Mean(axis, keepDim).Shape.ToArray());
        Assert.Equal(expected, x.Max(axis, keepDim).Shape.ToArray());
    }

    [Fact]
    public void Sum_Rank1_GivesRank0()
    {
        var y = Tensor.FromArray([1f, 2f, 4f], 3).Sum(0);
        Assert.Equal(0, y.Rank);
        Assert.Equal(7f, y.Item());
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    public void Sum_Axis_Gradients_MatchFiniteDifferences(int axis, bool keepDim) =>
        GradientCheck.Verify(t => t[0].Sum(axis, keepDim), GradientCheck.RandomInputs(4, -1, 1, [2, 3, 4]));

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(2)]
    public void Mean_Axis_Gradients_MatchFiniteDifferences(int axis) =>
        GradientCheck.Verify(t => t[0].Mean(axis), GradientCheck.RandomInputs(5, -1, 1, [2, 3, 4]));

    [Fact]
    public void Mean_KeepDim_BroadcastBack_GradientsMatch() =>
        GradientCheck.Verify(t => (t[0] - t[0].Mean(-1, keepDim: true)) * t[1],
            GradientCheck.RandomInputs(6, -1, 1, [3, 5], [3, 5]));

    [Fact]
    public void SumAndMean_OfTransposed_GradientsMatch() =>
        GradientCheck.Verify(t => t[0].Transpose().Sum(-1) + t[0].Transpose(0, 2).Mean(1, keepDim: true).Reshape(4, 2).Transpose(),
            GradientCheck.RandomInputs(7, -1, 1, [2, 3, 4]));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Max_Axis_MatchesReference_WithAndWithoutGrad(int axis)
    {
        var x = GradientCheck.RandomInputs(8, -1, 1, [3, 4, 5])[0];
        int a = axis < 0 ? axis + 3 : axis;
        var expected = Reduce(x, a, MathF.Max, float.NegativeInfinity);
        Assert.Equal(expected, x.Max(axis).ToArray());
        x.RequiresGrad = true;
        Assert.Equal(expected, x.Max(axis).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void ArgMax_MatchesPositionOfMax(int axis)
    {
        var x = GradientCheck.RandomInputs(9, -1, 1, [3, 4, 5])[0];
        var indices = x.ArgMax(axis);
        var values = x.Max(axis, keepDim: true);
        int a = axis < 0 ? axis + 3 : axis;
        Span<int> position = stackalloc int[3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                for (int k = 0; k < 5; k++)
                {
                    position[0] = i; position[1] = j; position[2] = k;
                    int p = position[a];
                    position[a] = 0;
                    int at = a == 0 ? indices[j, k] : a == 1 ? indices[i, k] : indices[i, j];
                    if (p == at) Assert.Equal(values[position], x[i, j, k]);
                    else Assert.True(x[i, j, k] < values[position]);
                }
    }

    [Fact]
    public void Max_Ties_GradientGoesToFirstMaximum()
    {
        var last = Tensor.FromArray([1f, 3f, 3f, 2f, 5f, 5f, 5f, 0f], 2, 4);
        last.RequiresGrad = true;
        last.Max(-1).Backward(Tensor.FromArray([10f, 20f], 2));
        Assert.Equal([0f, 10f, 0f, 0f, 20f, 0f, 0f, 0f], last.Grad!.ToArray());
        Assert.Equal([1, 0], last.ArgMax(1).AsSpan().ToArray());

        var column = Tensor.FromArray([1f, 4f, 3f, 4f, 3f, 0f], 3, 2);
        column.RequiresGrad = true;
        column.Max(0).Backward(Tensor.FromArray([10f, 20f], 2));
        Assert.Equal([0f, 20f, 10f, 0f, 0f, 0f], column.Grad!.ToArray());
        Assert.Equal([1, 0], column.ArgMax(0).AsSpan().ToArray());
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    public void Max_Gradients_MatchFiniteDifferences(int axis, bool keepDim) =>
        GradientCheck.Verify(t => t[0].Max(axis, keepDim), [SpacedValues(10, 2, 3, 4)]);

    [Fact]
    public void Max_OfTransposed_GradientsMatch() =>
        GradientCheck.Verify(t => t[0].Transpose().Max(-1) * t[0].Narrow(0, 1, 3).Max(0), [SpacedValues(11, 4, 3)]);

    [Fact]
    public void Max_NaN_CountsAsMaximum()
    {
        var x = Tensor.FromArray([1f, float.NaN, 3f, 2f, 1f, 0f], 2, 3);
        Assert.True(float.IsNaN(x.Max(1).ToArray()[0]));
        Assert.Equal([1, 0], x.ArgMax(1).AsSpan().ToArray());
        Assert.Equal([1, 0, 0], x.ArgMax(0).AsSpan().ToArray());
    }

    [Fact]
    public void ArgMax_IntoExistingResult_ChecksItsShape()
    {
        var x = Tensor.FromArray([1f, 5f, 3f, 7f, 2f, 0f], 2, 3);
        var result = IntTensor.Zeros(2);
        Assert.Same(result, x.ArgMax(-1, result));
        Assert.Equal([1, 0], result.AsSpan().ToArray());
        var error = Assert.Throws<ShapeMismatchException>(() => x.ArgMax(0, result));
        Assert.Contains("ArgMax", error.Message);
        Assert.Contains("(3,)", error.Message);
    }

    [Fact]
    public void Reductions_BadAxis_NameOperationAxisAndRank()
    {
        var x = Tensor.Zeros(2, 3);
        foreach (var action in new Func<object>[] { () => x.Sum(2), () => x.Mean(-3), () => x.Max(5), () => x.ArgMax(2) })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(action);
            Assert.Contains("rank-2", error.Message);
        }
        Assert.Contains("Sum", Assert.Throws<ArgumentOutOfRangeException>(() => x.Sum(2)).Message);
        Assert.Contains("Mean", Assert.Throws<ArgumentOutOfRangeException>(() => x.Mean(-3)).Message);
    }

    [Fact]
    public void Reductions_InsideScope_AllocateNothingAfterWarmUp()
    {
        var x = GradientCheck.RandomInputs(12, -1, 1, [4, 6])[0];
        x.RequiresGrad = true;
        void Step()
        {
            using var scope = TensorScope.Begin();
            var loss = (x.Sum(0).Sum() + x.Mean(1, keepDim: true).Mean() + x.Max(0).Sum() + x.Max(1).Mean()).Sum();
            loss.Backward();
        }
        AllocationAssert.ZeroAfterWarmUp(Step);
    }

    [Fact]
    public void NoGrad_RecordsNothing()
    {
        var x = Tensor.Ones(2, 3);
        x.RequiresGrad = true;
        using (GradMode.Disable()) Assert.False(x.Max(1).RequiresGrad);
        Assert.True(x.Max(1).RequiresGrad);
    }
}
