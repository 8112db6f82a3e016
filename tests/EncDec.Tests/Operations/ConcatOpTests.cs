using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

public class ConcatOpTests
{
    [Fact]
    public void Concat_OneTensor_IsACopy()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var y = TensorOps.Concat(0, x);
        Assert.Equal([2, 2], y.Shape.ToArray());
        Assert.Equal(x.ToArray(), y.ToArray());
        Assert.NotSame(x.Storage, y.Storage);
    }

    [Fact]
    public void Concat_TwoTensors_AlongEachAxis()
    {
        var a = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var b = Tensor.FromArray([5f, 6f], 1, 2);
        var rows = TensorOps.Concat(0, a, b);
        Assert.Equal([3, 2], rows.Shape.ToArray());
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], rows.ToArray());

        var c = Tensor.FromArray([7f, 8f, 9f, 10f, 11f, 12f], 2, 3);
        var columns = TensorOps.Concat([a, c], -1);
        Assert.Equal([2, 5], columns.Shape.ToArray());
        Assert.Equal([1f, 2f, 7f, 8f, 9f, 3f, 4f, 10f, 11f, 12f], columns.ToArray());
    }

    [Fact]
    public void Concat_FiveTensors_MiddleAxis_WithStridedInput()
    {
        // (2, n_i, 2) pieces along axis 1; the third is a permuted view, the fourth a narrowed one.
        var pieces = new[]
        {
            Tensor.FromArray([1f, 2f, 3f, 4f], 2, 1, 2),
            Tensor.FromArray([5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f], 2, 2, 2),
            Tensor.FromArray([13f, 15f, 14f, 16f], 1, 2, 2).Permute(2, 0, 1),   // (2, 1, 2): [[13, 14]], [[15, 16]]
            Tensor.FromArray([0f, 0f, 0f, 0f, 21f, 22f, 0f, 0f, 0f, 0f, 23f, 24f], 2, 3, 2).Narrow(1, 2, 1),
            Tensor.FromArray([17f, 18f, 19f, 20f], 2, 1, 2),
        };
        var y = TensorOps.Concat(1, pieces);
        Assert.Equal([2, 6, 2], y.Shape.ToArray());
        Assert.Equal([1f, 2f, 5f, 6f, 7f, 8f, 13f, 14f, 21f, 22f, 17f, 18f,
                      3f, 4f, 9f, 10f, 11f, 12f, 15f, 16f, 23f, 24f, 19f, 20f], y.ToArray());
    }

    [Fact]
    public void Concat_Two_Gradients_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => TensorOps.Concat(1, t[0], t[1]), GradientCheck.RandomInputs(1, -1, 1, [2, 3], [2, 2]));

    [Fact]
    public void Concat_Three_NonContiguous_GradientsMatch() =>
        GradientCheck.Verify(t => TensorOps.Concat(0, t[0].Transpose(), t[1], t[2].Narrow(1, 1, 2)),
            GradientCheck.RandomInputs(2, -1, 1, [2, 3], [1, 2], [4, 3]));

    [Fact]
    public void Concat_Five_Gradients_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => TensorOps.Concat(-1, t[0], t[1].Transpose(), t[2], t[3], t[4]) * 1.5f,
            GradientCheck.RandomInputs(3, -1, 1, [2, 1], [3, 2], [2, 2], [2, 1], [2, 4]));

    [Fact]
    public void Concat_SameTensorTwice_AccumulatesBothSlices()
    {
        var x = Tensor.FromArray([1f, 2f], 2);
        x.RequiresGrad = true;
        var y = TensorOps.Concat(0, x, x, x, x);
        y.Backward(Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 8));
        Assert.Equal([16f, 20f], x.Grad!.ToArray());
    }

    [Fact]
    public void Concat_OnlyLaterInputRequiresGrad_StillRecords()
    {
        var inputs = GradientCheck.RandomInputs(4, -1, 1, [1, 2], [1, 2], [1, 2], [1, 2], [1, 2]);
        inputs[4].RequiresGrad = true;
        var y = TensorOps.Concat(0, inputs);
        Assert.True(y.RequiresGrad);
        y.Backward(Tensor.Ones(5, 2));
        Assert.Equal([1f, 1f], inputs[4].Grad!.ToArray());
        Assert.Null(inputs[0].Grad);
    }

    [Fact]
    public void Concat_ManyInputs_InsideScope_AllocatesNothingAfterWarmUp()
    {
        var inputs = GradientCheck.RandomInputs(5, -1, 1, [2, 3], [2, 1], [2, 2], [2, 3], [2, 1], [2, 2]);
        foreach (var input in inputs) input.RequiresGrad = true;
        int steps = 0;
        void Step()
        {
            using var scope = TensorScope.Begin();
            TensorOps.Concat(1, inputs).Sum().Backward();
            TensorOps.Concat(1, inputs[0], inputs[1]).Sum().Backward();
            steps++;
        }
        AllocationAssert.ZeroAfterWarmUp(Step);
        Assert.All(inputs[0].Grad!.ToArray(), g => Assert.Equal(2f * steps, g));   // 2 concats a step, gradients accumulate
    }

    [Fact]
    public void Concat_MismatchedDimension_NamesOperationAndBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => TensorOps.Concat(1, Tensor.Zeros(2, 3), Tensor.Zeros(4, 3)));
        Assert.Contains("Concat", error.Message);
        Assert.Contains("(2, 3)", error.Message);
        Assert.Contains("(4, 3)", error.Message);
        Assert.Contains("dimension 0", error.Message);
    }

    [Fact]
    public void Concat_MismatchedRank_AndNoInputs_AndBadAxis_Throw()
    {
        var rank = Assert.Throws<ShapeMismatchException>(() => TensorOps.Concat(0, Tensor.Zeros(2, 3), Tensor.Zeros(3)));
        Assert.Contains("(3,)", rank.Message);
        Assert.Contains("Concat", Assert.Throws<ArgumentException>(() => TensorOps.Concat(0, ReadOnlySpan<Tensor>.Empty)).Message);
        Assert.Contains("axis 2", Assert.Throws<ArgumentOutOfRangeException>(() => TensorOps.Concat(2, Tensor.Zeros(2, 3))).Message);
    }
}
