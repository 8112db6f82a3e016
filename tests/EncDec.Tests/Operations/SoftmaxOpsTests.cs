using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

public class SoftmaxOpsTests
{
    private static Tensor Apply(bool log, Tensor x, int axis) => log ? x.LogSoftmax(axis) : x.Softmax(axis);

    /// <summary>Softmax or log-softmax of a dense row-major tensor along <paramref name="axis"/>, in double.</summary>
    private static double[] Reference(bool log, float[] x, int[] shape, int axis)
    {
        int outer = shape[..axis].Aggregate(1, (a, b) => a * b), n = shape[axis];
        int inner = shape[(axis + 1)..].Aggregate(1, (a, b) => a * b);
        var result = new double[x.Length];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int At(int a) => (o * n + a) * inner + j;
                double max = Enumerable.Range(0, n).Max(a => (double)x[At(a)]);
                double sum = Enumerable.Range(0, n).Sum(a => Math.Exp(x[At(a)] - max));
                for (int a = 0; a < n; a++)
                    result[At(a)] = log ? x[At(a)] - max - Math.Log(sum) : Math.Exp(x[At(a)] - max) / sum;
            }
        return result;
    }

    public static TheoryData<bool, int> AxesOf3D => new()
    {
        { false, -1 }, { false, 0 }, { false, 1 }, { true, -1 }, { true, 0 }, { true, 1 },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LastAxis_Gradients_MatchFiniteDifferences(bool log) =>
        GradientCheck.Verify(t => Apply(log, t[0], -1), GradientCheck.RandomInputs(1, -2, 2, [3, 5]));

    [Theory, MemberData(nameof(AxesOf3D))]
    public void AnyAxisOf3D_Gradients_MatchFiniteDifferences(bool log, int axis) =>
        GradientCheck.Verify(t => Apply(log, t[0], axis), GradientCheck.RandomInputs(2, -2, 2, [2, 3, 4]));

    [Theory, MemberData(nameof(AxesOf3D))]
    public void StridedInput_Gradients_MatchFiniteDifferences(bool log, int axis) =>
        GradientCheck.Verify(t => Apply(log, t[0].Permute(2, 0, 1).Narrow(2, 1, 3), axis),
            GradientCheck.RandomInputs(3, -2, 2, [2, 4, 3]));

    [Theory, MemberData(nameof(AxesOf3D))]
    public void Forward_MatchesDoublePrecision(bool log, int axis)
    {
        int[] shape = [3, 4, 5];
        var x = GradientCheck.RandomInputs(4, -5, 5, shape)[0];
        var expected = Reference(log, x.ToArray(), shape, axis < 0 ? axis + 3 : axis);
        OpTestData.AssertClose(expected, Apply(log, x, axis).ToArray(), 2e-6, 2e-7);
        var strided = x.Transpose(0, 2);                             // (5, 4, 3), non-contiguous
        expected = Reference(log, strided.ToArray(), [5, 4, 3], axis < 0 ? axis + 3 : axis);
        OpTestData.AssertClose(expected, Apply(log, strided, axis).ToArray(), 2e-6, 2e-7, "strided");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LongRows_ForwardAndBackward_MatchDoublePrecision(bool log)
    {
        // 600 per row crosses the kernels' 256-float stack chunks with a ragged tail.
        var x = GradientCheck.RandomInputs(5, -4, 4, [2, 600])[0];
        var dy = GradientCheck.RandomInputs(6, -1, 1, [2, 600])[0].ToArray();
        x.RequiresGrad = true;
        var y = Apply(log, x, -1);
        var expected = Reference(log, x.ToArray(), [2, 600], 1);
        OpTestData.AssertClose(expected, y.ToArray(), 2e-6, 1e-8);
        y.Backward(Tensor.FromArray(dy, 2, 600));
        var dx = new double[1200];
        for (int r = 0; r < 2; r++)
        {
            var rows = Enumerable.Range(r * 600, 600);
            double dot = rows.Sum(i => dy[i] * expected[i]), total = rows.Sum(i => (double)dy[i]);
            foreach (int i in rows) dx[i] = log ? dy[i] - Math.Exp(expected[i]) * total : expected[i] * (dy[i] - dot);
        }
        OpTestData.AssertClose(dx, x.Grad!.ToArray(), 1e-5, 1e-7);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void HugeLogits_AreStable(int axis)
    {
        var x = Tensor.FromArray([1e4f, -1e4f, 0f, 1e4f - 1f], 4);
        var logits = axis == 0 ? x.Reshape(4, 1) : x.Reshape(1, 4);
        Assert.Equal([0.7310586f, 0f, 0f, 0.26894143f], logits.Softmax(axis).ToArray());
        Assert.Equal([-0.31326166f, -20000.312f, -10000.313f, -1.3132616f], logits.LogSoftmax(axis).ToArray());
    }

    [Theory]
    [InlineData(false, -1)]
    [InlineData(false, 0)]
    [InlineData(true, -1)]
    [InlineData(true, 0)]
    public void MinusInfinityEverywhereButOnePlace_GivesNoNaN_ForwardOrBackward(bool log, int axis)
    {
        float inf = float.NegativeInfinity;
        var data = Tensor.FromArray([inf, 2.5f, inf, inf], 4);
        var x = (axis == 0 ? data.Reshape(4, 1) : data.Reshape(1, 4)).Contiguous();
        x.RequiresGrad = true;
        var y = Apply(log, x, axis);
        Assert.Equal(log ? [inf, 0f, inf, inf] : [0f, 1f, 0f, 0f], y.ToArray());
        y.Backward(Tensor.FromArray([1f, 2f, 3f, 4f], x.Shape.ToArray()));
        Assert.All(x.Grad!.ToArray(), g => Assert.False(float.IsNaN(g)));
    }

    [Fact]
    public void RowOfOnlyMinusInfinity_IsNaN_AsInPyTorch()
    {
        var x = Tensor.Full(float.NegativeInfinity, 2, 3);
        Assert.All(x.Softmax().ToArray(), v => Assert.True(float.IsNaN(v)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Softmax_SumsToOneAlongTheAxis(int axis)
    {
        var y = GradientCheck.RandomInputs(7, -3, 3, [2, 3, 4])[0].Softmax(axis);
        var sums = y.Sum(axis).ToArray();
        Assert.All(sums, s => Assert.Equal(1f, s, 1e-6f));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-4)]
    public void BadAxis_NamesOperationAxisAndRank(int axis)
    {
        var x = Tensor.Zeros(2, 3, 4);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => x.Softmax(axis));
        Assert.Contains("Softmax", error.Message);
        Assert.Contains($"axis {axis}", error.Message);
        Assert.Contains("rank-3", error.Message);
        Assert.Contains("LogSoftmax", Assert.Throws<ArgumentOutOfRangeException>(() => x.LogSoftmax(axis)).Message);
    }

    [Fact]
    public void ScalarInput_HasNoAxis()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Scalar(1f).Softmax());
        Assert.Contains("rank-0", error.Message);
    }

    [Fact]
    public void EmptyTensors_GiveEmptyResults()
    {
        Assert.Equal([0, 4], Tensor.Zeros(0, 4).Softmax().Shape.ToArray());
        Assert.Equal([3, 0], Tensor.Zeros(3, 0).LogSoftmax().Shape.ToArray());
        Assert.Equal([2, 0, 3], Tensor.Zeros(2, 0, 3).Softmax(1).Shape.ToArray());
    }

    [Fact]
    public void InsideScope_AllocateNothingAfterWarmUp()
    {
        var x = GradientCheck.RandomInputs(13, -2, 2, [3, 4, 5])[0];
        x.RequiresGrad = true;
        var seed = GradientCheck.RandomInputs(14, -1, 1, [3, 4, 5])[0];
        var seedT = GradientCheck.RandomInputs(15, -1, 1, [5, 4, 3])[0];
        void Step()
        {
            using var scope = TensorScope.Begin();
            for (int axis = 0; axis < 3; axis++)
            {
                x.Softmax(axis).Backward(seed);
                x.LogSoftmax(axis).Backward(seed);
                x.Transpose(0, 2).LogSoftmax(axis).Backward(seedT);
            }
        }
        AllocationAssert.ZeroAfterWarmUp(Step);
    }
}
