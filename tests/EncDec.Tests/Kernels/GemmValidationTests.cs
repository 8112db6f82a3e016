using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>A GEMM call that would read or write outside its spans, or race on C, is refused.</summary>
public class GemmValidationTests
{
    private static readonly float[] Six = new float[6], Four = new float[4];

    private static ArgumentException Call(int batch, int m, int n, int k, float[] a, MatrixStrides sa,
        float[] b, MatrixStrides sb, float[] c, MatrixStrides sc) =>
        Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(batch, m, n, k, 1f, a, sa, b, sb, 0f, c, sc));

    [Fact]
    public void AOutOfRange_ThrowsNamingA_TheSizes_AndTheStrides()
    {
        // A is 2 x 3 but its rows are declared 4 apart: the last row ends at element 6, past the span.
        var e = Call(1, 2, 2, 3, Six, new MatrixStrides(0, 4, 1), Six, new MatrixStrides(0, 2, 1), Four, new MatrixStrides(0, 2, 1));
        Assert.Contains("operand A", e.Message);
        Assert.Contains("batch=1, m=2, n=2, k=3", e.Message);
        Assert.Contains("Row = 4", e.Message);
        Assert.Equal("a", e.ParamName);
    }

    [Fact]
    public void TransposedBOutOfRange_ThrowsNamingB()
    {
        var e = Call(1, 2, 2, 3, Six, new MatrixStrides(0, 3, 1), Six, MatrixStrides.Transposed(4), Four, new MatrixStrides(0, 2, 1));
        Assert.Contains("operand B", e.Message);
        Assert.Equal("b", e.ParamName);
    }

    [Fact]
    public void BatchStrideOutOfRange_ThrowsNamingTheOperand()
    {
        var e = Call(2, 2, 2, 3, Six, new MatrixStrides(6, 3, 1), Six, new MatrixStrides(0, 2, 1), new float[8], new MatrixStrides(4, 2, 1));
        Assert.Contains("operand A", e.Message);
        Assert.Contains("batch=2", e.Message);
    }

    [Fact]
    public void COutOfRange_Throws()
    {
        var e = Call(1, 2, 3, 2, Six, new MatrixStrides(0, 2, 1), Six, new MatrixStrides(0, 3, 1), Four, new MatrixStrides(0, 3, 1));
        Assert.Contains("operand C", e.Message);
    }

    [Fact]
    public void NegativeStrideReachingBeforeTheSpan_Throws()
    {
        var e = Call(1, 2, 2, 3, Six, new MatrixStrides(0, -3, 1), Six, new MatrixStrides(0, 2, 1), Four, new MatrixStrides(0, 2, 1));
        Assert.Contains("operand A", e.Message);
    }

    [Fact]
    public void NonContiguousCRows_Throw()
    {
        var e = Call(1, 2, 2, 3, Six, new MatrixStrides(0, 3, 1), Six, new MatrixStrides(0, 2, 1), new float[8], new MatrixStrides(0, 4, 2));
        Assert.Contains("Col stride 1", e.Message);
    }

    [Fact]
    public void BroadcastOrOverlappingC_Throws()
    {
        var broadcast = Call(2, 2, 2, 3, Six, new MatrixStrides(0, 3, 1), Six, new MatrixStrides(0, 2, 1), Four, new MatrixStrides(0, 2, 1));
        Assert.Contains("share memory", broadcast.Message);
        var overlap = Call(1, 2, 2, 3, Six, new MatrixStrides(0, 3, 1), Six, new MatrixStrides(0, 2, 1), Four, new MatrixStrides(0, 1, 1));
        Assert.Contains("share memory", overlap.Message);
    }

    [Fact]
    public void NegativeSize_Throws()
    {
        var e = Call(1, -1, 2, 3, Six, default, Six, default, Four, new MatrixStrides(0, 2, 1));
        Assert.Contains("m=-1", e.Message);
    }

    [Fact]
    public void ValidEdgeOfSpan_DoesNotThrow()
    {
        // Every operand exactly fills its span.
        Gemm.Multiply(1, 2, 2, 3, 1f, Six, new MatrixStrides(0, 3, 1), Six, new MatrixStrides(0, 2, 1), 0f, Four, new MatrixStrides(0, 2, 1));
        GemmReference.Multiply(1, 2, 2, 3, 1f, Six, new MatrixStrides(0, 3, 1), Six, new MatrixStrides(0, 2, 1), 0f, Four, new MatrixStrides(0, 2, 1));
    }

    [Fact]
    public void Reference_ValidatesLikeGemm()
    {
        Assert.ThrowsAny<ArgumentException>(() => GemmReference.Multiply(1, 2, 2, 3, 1f,
            Six, new MatrixStrides(0, 4, 1), Six, new MatrixStrides(0, 2, 1), 0f, Four, new MatrixStrides(0, 2, 1)));
    }
}
