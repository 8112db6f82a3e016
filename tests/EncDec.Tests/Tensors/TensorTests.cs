using EncDec.Tensors;

namespace EncDec.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void FromArray_IsRowMajor_WithRowMajorStrides()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Assert.Equal([3, 1], x.Strides.ToArray());
        Assert.Equal(6f, x[1, 2]);
        Assert.True(x.IsContiguous);
    }

    [Fact]
    public void FromArray_WrongCount_NamesShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f, 3f], 2, 2));
        Assert.Contains("(2, 2)", error.Message);
    }

    [Fact]
    public void Indexer_OutOfRange_NamesIndexAndBound()
    {
        var x = Tensor.Zeros(2, 3);
        x.Name = "probe";
        var error = Assert.Throws<IndexOutOfRangeException>(() => x[1, 3]);
        Assert.Contains("index 3", error.Message);
        Assert.Contains("size 3", error.Message);
        Assert.Contains("probe", error.Message);
    }

    [Fact]
    public void AsSpan_OnNonContiguous_Throws()
    {
        var x = Tensor.Zeros(2, 3);
        var t = EncDec.Operations.TensorOps.Transpose(x);
        Assert.Throws<InvalidOperationException>(() => t.AsSpan());
    }

    [Fact]
    public void RankAboveMaximum_Throws() =>
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(1, 1, 1, 1, 1, 1, 1, 1, 1));

    [Fact]
    public void Scalar_HasRankZero_AndOneElement()
    {
        var s = Tensor.Scalar(4.5f);
        Assert.Equal(0, s.Rank);
        Assert.Equal(4.5f, s.Item());
    }

    [Fact]
    public void IntTensor_IndexesRowMajor_AndChecksBounds()
    {
        var ids = new IntTensor([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal(6, ids[1, 2]);
        Assert.Throws<IndexOutOfRangeException>(() => ids[2, 0]);
    }

    [Fact]
    public void EmptyTensor_IsContiguous_AndSupportsArithmetic()
    {
        var x = Tensor.Zeros(2, 0);
        Assert.True(x.IsContiguous);
        Assert.Equal(0, x.Count);
        Assert.Equal([2, 0], (x + 1f).Shape.ToArray());
        Assert.Empty(EncDec.Operations.TensorOps.Concat(1, x, Tensor.Zeros(2, 0)).ToArray());
    }
}
