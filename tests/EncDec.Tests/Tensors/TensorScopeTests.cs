using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Tests.Tensors;

public class TensorScopeTests
{
    [Fact]
    public void Scope_RecyclesStorage_ForTheNextStep()
    {
        var weight = Tensor.Ones(8, 8);
        TensorStorage first;
        using (TensorScope.Begin()) first = (weight * 2f).Storage;
        TensorStorage second;
        using (TensorScope.Begin()) second = (weight * 3f).Storage;
        Assert.Same(first, second);
    }

    [Fact]
    public void ScopedTensor_UsedAfterScope_ThrowsClearError()
    {
        Tensor inside;
        using (TensorScope.Begin()) inside = Tensor.Ones(3) * 2f;
        var error = Assert.Throws<ObjectDisposedException>(() => inside.Storage);
        Assert.Contains("TensorScope", error.Message);
    }

    [Fact]
    public void Keep_TakesADenseCopyOutOfTheScope()
    {
        Tensor kept;
        using (TensorScope.Begin())
        {
            var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
            kept = TensorScope.Keep(x.Transpose() * 10f);
        }
        Assert.Equal([10f, 40f, 20f, 50f, 30f, 60f], kept.ToArray());
        Assert.True(kept.IsLeaf);
    }

    [Fact]
    public void ParameterGradients_OutliveTheScope()
    {
        var weight = Tensor.FromArray([1f, 2f], 2);
        weight.RequiresGrad = true;
        using (TensorScope.Begin()) (weight * weight).Backward(Tensor.Ones(2));
        Assert.Equal([2f, 4f], weight.Grad!.ToArray());
    }

    [Fact]
    public void Scopes_MustNest()
    {
        var outer = TensorScope.Begin();
        var inner = TensorScope.Begin();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        inner.Dispose();
        outer.Dispose();
        Assert.False(TensorScope.IsActive);
    }

    [Fact]
    public void Storage_Is64ByteAligned()
    {
        foreach (int count in new[] { 1, 7, 64, 65, 1000, 4099 })
        {
            unsafe
            {
                var storage = StoragePool.Rent(count);
                Assert.Equal(0L, (long)storage.Pointer(0) % TensorStorage.AlignmentBytes);
                Assert.True(storage.Capacity >= count);
                StoragePool.Return(storage);
            }
        }
    }

    [Theory]
    [InlineData(1, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 80)]
    [InlineData(1000, 1024)]
    [InlineData(1025, 1280)]
    public void SizeClass_WastesAtMostAQuarter(int count, int expected)
    {
        Assert.Equal(expected, StoragePool.SizeClass(count));
        Assert.True(StoragePool.SizeClass(count) <= Math.Max(64, count * 1.25 + 16));
    }
}
