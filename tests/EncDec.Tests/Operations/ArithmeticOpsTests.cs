using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

public class ArithmeticOpsTests
{
    public static TheoryData<int[], int[]> BroadcastShapes => new()
    {
        { new[] { 3, 4 }, new[] { 3, 4 } },
        { new[] { 3, 4 }, new[] { 4 } },
        { new[] { 2, 3, 4 }, new[] { 3, 1 } },
        { new[] { 1, 4 }, new[] { 3, 1 } },
        { new[] { 2, 1, 4 }, new[] { 1, 3, 1 } },
        { new[] { 5 }, System.Array.Empty<int>() },
    };

    [Theory, MemberData(nameof(BroadcastShapes))]
    public void Add_Gradients_MatchFiniteDifferences(int[] a, int[] b) =>
        GradientCheck.Verify(t => t[0] + t[1], GradientCheck.RandomInputs(1, -1, 1, a, b));

    [Theory, MemberData(nameof(BroadcastShapes))]
    public void Subtract_Gradients_MatchFiniteDifferences(int[] a, int[] b) =>
        GradientCheck.Verify(t => t[0] - t[1], GradientCheck.RandomInputs(2, -1, 1, a, b));

    [Theory, MemberData(nameof(BroadcastShapes))]
    public void Multiply_Gradients_MatchFiniteDifferences(int[] a, int[] b) =>
        GradientCheck.Verify(t => t[0] * t[1], GradientCheck.RandomInputs(3, -1, 1, a, b));

    [Theory, MemberData(nameof(BroadcastShapes))]
    public void Divide_Gradients_MatchFiniteDifferences(int[] a, int[] b) =>
        GradientCheck.Verify(t => t[0] / t[1], GradientCheck.RandomInputs(4, 0.5f, 2f, a, b));

    [Fact]
    public void ScalarForms_Gradients_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => (2f - t[0] * 3f + 1f) / 4f, GradientCheck.RandomInputs(5, -1, 1, [3, 4]));

    [Fact]
    public void Binary_OnTransposedAndNarrowedInputs_GradientsMatch() =>
        GradientCheck.Verify(t => t[0].Transpose() * t[1].Narrow(1, 1, 4),
            GradientCheck.RandomInputs(6, -1, 1, [4, 3], [3, 5]));

    [Fact]
    public void Add_Broadcast_ComputesRowPlusColumn()
    {
        var row = Tensor.FromArray([1f, 2f, 3f], 1, 3);
        var column = Tensor.FromArray([10f, 20f], 2, 1);
        Assert.Equal([11f, 12f, 13f, 21f, 22f, 23f], (row + column).ToArray());
        Assert.Equal([2, 3], (row + column).Shape.ToArray());
    }

    [Fact]
    public void Add_IncompatibleShapes_NamesOperationAndBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4, 3));
        Assert.Contains("Add", error.Message);
        Assert.Contains("(2, 3)", error.Message);
        Assert.Contains("(4, 3)", error.Message);
    }

    [Fact]
    public void Gradients_AccumulateAcrossBackwardCalls()
    {
        var x = Tensor.FromArray([1f, 2f], 2);
        x.RequiresGrad = true;
        (x * 3f).Backward(Tensor.Ones(2));
        (x * 3f).Backward(Tensor.Ones(2));
        Assert.Equal([6f, 6f], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Equal([0f, 0f], x.Grad!.ToArray());
    }
}
