using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// How a (possibly batched, possibly transposed) matrix product maps onto one strided GEMM call.
/// Computed from the operands in forward and again in backward, so nothing needs saving.
/// A batched left operand times a 2-D right operand, e.g. (batch, seq, dModel) x (dModel, out),
/// is folded into a single (batch*seq, dModel) x (dModel, out) product when the layout allows.
/// </summary>
internal readonly struct MatMulPlan
{
    public readonly int Batch, M, N, K;
    public readonly MatrixStrides A, B;        // strides of the logical op(A) (m x k) and op(B) (k x n)
    public readonly bool BroadcastA, BroadcastB;

    private MatMulPlan(int batch, int m, int n, int k, MatrixStrides a, MatrixStrides b, bool broadcastA, bool broadcastB)
    {
        Batch = batch; M = m; N = n; K = k; A = a; B = b; BroadcastA = broadcastA; BroadcastB = broadcastB;
    }

    /// <summary>Validates shapes and plans op(a) · op(b); both operands must have flattenable batch dimensions.</summary>
    public static MatMulPlan Create(Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        Validate(a, b, transposeA, transposeB);
        int m = transposeA ? a.Dim(-1) : a.Dim(-2), k = transposeA ? a.Dim(-2) : a.Dim(-1);
        int n = transposeB ? b.Dim(-2) : b.Dim(-1);
        var aStrides = LogicalStrides(a, transposeA);
        var bStrides = LogicalStrides(b, transposeB);
        int batchA = BatchCount(a), batchB = BatchCount(b);
        if (b.Rank == 2 && a.Rank > 2 && !transposeA && RowsFold(a))
            return new MatMulPlan(1, batchA * m, n, k, aStrides with { Batch = 0 }, bStrides, false, false);
        int batch = Math.Max(batchA, batchB);
        return new MatMulPlan(batch, m, n, k,
            a.Rank == 2 ? aStrides with { Batch = 0 } : aStrides,
            b.Rank == 2 ? bStrides with { Batch = 0 } : bStrides,
            a.Rank == 2 && batch > 1, b.Rank == 2 && batch > 1);
    }

    /// <summary>True when the batch dimensions collapse into one stride (no copy needed).</summary>
    public static bool BatchFlattenable(Tensor t)
    {
        for (int i = 0; i < t.Rank - 3; i++)
            if (t.Shape[i] != 1 && t.Strides[i] != t.Strides[i + 1] * t.Shape[i + 1]) return false;
        return true;
    }

    /// <summary>The output shape: the batched operand's batch dimensions, then (m, n).</summary>
    public static void OutputShape(Tensor a, Tensor b, bool transposeA, bool transposeB, Span<int> shape)
    {
        var batched = a.Rank >= b.Rank ? a : b;
        for (int i = 0; i < batched.Rank - 2; i++) shape[i] = batched.Shape[i];
        shape[^2] = transposeA ? a.Dim(-1) : a.Dim(-2);
        shape[^1] = transposeB ? b.Dim(-2) : b.Dim(-1);
    }

    private static void Validate(Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        if (a.Rank < 2 || b.Rank < 2)
            throw new ShapeMismatchException("MatMul", a.Shape, b.Shape, "both operands need at least 2 dimensions");
        int ka = transposeA ? a.Dim(-2) : a.Dim(-1), kb = transposeB ? b.Dim(-1) : b.Dim(-2);
        if (ka != kb)
            throw new ShapeMismatchException("MatMul", a.Shape, b.Shape,
                $"inner dimensions {ka} and {kb} differ (transposeA={transposeA}, transposeB={transposeB})");
        if (a.Rank > 2 && b.Rank > 2 && !a.Shape[..^2].SequenceEqual(b.Shape[..^2]))
            throw new ShapeMismatchException("MatMul", a.Shape, b.Shape, "batch dimensions differ");
    }

    private static MatrixStrides LogicalStrides(Tensor t, bool transpose)
    {
        long batch = t.Rank > 2 ? BatchStride(t) : 0;
        int row = t.Strides[t.Rank - 2], column = t.Strides[t.Rank - 1];
        return transpose ? new MatrixStrides(batch, column, row) : new MatrixStrides(batch, row, column);
    }

    private static long BatchStride(Tensor t)
    {
        for (int i = t.Rank - 3; i >= 0; i--)
            if (t.Shape[i] != 1) return t.Strides[i];
        return 0;
    }

    private static int BatchCount(Tensor t)
    {
        int count = 1;
        for (int i = 0; i < t.Rank - 2; i++) count *= t.Shape[i];
        return count;
    }

    private static bool RowsFold(Tensor a)
    {
        if (!BatchFlattenable(a)) return false;
        for (int i = a.Rank - 3; i >= 0; i--)
            if (a.Shape[i] != 1) return a.Strides[i] == a.Strides[a.Rank - 2] * a.Shape[a.Rank - 2];
        return true;
    }
}
