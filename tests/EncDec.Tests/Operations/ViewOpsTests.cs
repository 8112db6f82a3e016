using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

public class ViewOpsTests
{
    [Fact]
    public void Transpose_IsAViewWithSwappedStrides()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var t = x.Transpose();
        Assert.Same(x.Storage, t.Storage);
        Assert.False(t.IsContiguous);
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], t.ToArray());
        Assert.Equal(2f, t[1, 0]);
    }

    [Fact]
    public void Reshape_InfersMinusOne_AndRejectsWrongCount()
    {
        var x = Tensor.Zeros(2, 3, 4);
        Assert.Equal([6, 4], x.Reshape(-1, 4).Shape.ToArray());
        var error = Assert.Throws<ShapeMismatchException>(() => x.Reshape(5, 5));
        Assert.Contains("(2, 3, 4)", error.Message);
    }

    [Fact]
    public void Reshape_OfNonContiguous_CopiesInLogicalOrder()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], x.Transpose().Reshape(6).ToArray());
    }

    [Fact]
    public void Permute_Gradients_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => t[0].Permute(2, 0, 1) * t[1], GradientCheck.RandomInputs(1, -1, 1, [2, 3, 4], [4, 2, 3]));

    [Fact]
    public void Reshape_Gradients_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => t[0].Transpose().Reshape(2, 6) * t[1], GradientCheck.RandomInputs(2, -1, 1, [3, 4], [2, 6]));

    [Fact]
    public void NarrowAndSplit_Gradients_MatchFiniteDifferences() =>
        GradientCheck.Verify(t =>
        {
            var pieces = t[0].Split(1, 1, 3);
            return (pieces[0] * pieces[1].Narrow(1, 2, 1)).Narrow(0, 1, 2) + t[0].Narrow(0, 1, 2).Narrow(1, 3, 1);
        }, GradientCheck.RandomInputs(3, -1, 1, [3, 4]));

    [Fact]
    public void Contiguous_Gradients_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => t[0].Transpose().Contiguous() * 2f, GradientCheck.RandomInputs(4, -1, 1, [3, 5]));

    [Fact]
    public void Narrow_OutOfRange_NamesRangeAndSize()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 3).Narrow(1, 2, 2));
        Assert.Contains("[2, 4)", error.Message);
        Assert.Contains("size 3", error.Message);
    }
}
