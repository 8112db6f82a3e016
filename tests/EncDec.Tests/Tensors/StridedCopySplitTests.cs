using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Tensors;

/// <summary>Large permuted views made dense, and dense gradients written or added into such views, are copied in slabs across
/// threads: every element lands where the row-major order of the view puts it, on one and two threads.</summary>
[Collection(nameof(EncDec.Tests.Kernels.GemmSerialCollection))]
public class StridedCopySplitTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PermutedView_MadeDense_MatchesIndexArithmetic(int threads)
    {
        using var scope = ThreadCountScope.Use(threads);
        const int B = 9, L = 30, H = 4, D = 64;   // 69,120 elements: above the split threshold
        var data = Enumerable.Range(0, B * L * H * D).Select(i => (float)i).ToArray();
        var view = Tensor.FromArray(data, B, L, H, D).Permute(0, 2, 1, 3);   // (B, H, L, D), not contiguous
        var dense = view.Contiguous().ToArray();
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int l = 0; l < L; l++)
                    for (int d = 0; d < D; d++)
                        Assert.Equal(data[((b * L + l) * H + h) * D + d], dense[((b * H + h) * L + l) * D + d]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DenseSource_AccumulatedIntoAPermutedView_AddsEachElementOnce(int threads)
    {
        using var scope = ThreadCountScope.Use(threads);
        const int B = 9, L = 30, H = 4, D = 64;
        var start = Enumerable.Range(0, B * L * H * D).Select(i => (float)(i % 7)).ToArray();
        var target = Tensor.FromArray((float[])start.Clone(), B, L, H, D);
        var view = target.Permute(0, 2, 1, 3);                               // (B, H, L, D) over target's storage
        var source = Enumerable.Range(0, B * H * L * D).Select(i => (float)i).ToArray();   // dense (B, H, L, D)
        StridedCopy.AccumulateInto(source, view);
        var result = target.ToArray();
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int l = 0; l < L; l++)
                    for (int d = 0; d < D; d++)
                    {
                        int at = ((b * L + l) * H + h) * D + d;
                        Assert.Equal(start[at] + source[((b * H + h) * L + l) * D + d], result[at]);
                    }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DenseSource_CopiedIntoAPermutedView_ReplacesEachElement(int threads)
    {
        using var scope = ThreadCountScope.Use(threads);
        const int B = 9, L = 30, H = 4, D = 64;
        var target = Tensor.Full(-1f, B, L, H, D);
        var source = Enumerable.Range(0, B * H * L * D).Select(i => (float)i).ToArray();   // dense (B, H, L, D)
        StridedCopy.CopyInto(source, target.Permute(0, 2, 1, 3));
        var result = target.ToArray();
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int l = 0; l < L; l++)
                    for (int d = 0; d < D; d++)
                        Assert.Equal(source[((b * H + h) * L + l) * D + d], result[((b * L + l) * H + h) * D + d]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PermuteGradient_IsWrittenFirst_ThenAdded(int threads)
    {
        // x reaches the loss through two permutes: the first gradient written through the view, the second added to it.
        using var scope = ThreadCountScope.Use(threads);
        const int B = 9, L = 30, H = 4, D = 64;
        var x = Tensor.FromArray(Enumerable.Range(0, B * L * H * D).Select(i => (float)(i % 5)).ToArray(), B, L, H, D);
        x.RequiresGrad = true;
        var upstream = Tensor.FromArray(Enumerable.Range(0, B * H * L * D).Select(i => (float)(i % 11)).ToArray(), B, H, L, D);
        var loss = (x.Permute(0, 2, 1, 3) * upstream).Sum() + (x.Permute(0, 2, 1, 3) * 2f * upstream).Sum();
        loss.Backward();
        var grad = x.Grad!.ToArray();
        var up = upstream.ToArray();
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int l = 0; l < L; l++)
                    for (int d = 0; d < D; d++)
                        Assert.Equal(3f * up[((b * H + h) * L + l) * D + d], grad[((b * L + l) * H + h) * D + d]);
    }

    [Fact]
    public void AccumulateInto_RejectsASourceOfAnotherSize()
    {
        var view = Tensor.Zeros(4, 6).Transpose();
        var error = Assert.Throws<ArgumentException>(() => StridedCopy.AccumulateInto(new float[23], view));
        Assert.Contains("23", error.Message);
    }
}
