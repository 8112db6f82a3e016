using System.Diagnostics.CodeAnalysis;

namespace EncDec.Kernels;

/// <summary>
/// The one place that checks a GEMM call: sizes non-negative, every element the call addresses inside
/// its span, and C laid out so that distinct elements never share memory (C is written by several
/// threads at once). Every failure is an <see cref="ArgumentException"/> that names the operand, the
/// problem size and the strides.
/// </summary>
internal static class GemmValidation
{
    /// <summary>Throws unless a call of a GEMM with a pre-packed B of (k, n) (<paramref name="kernel"/> names it) is well
    /// formed: beta 0 or 1, a bias of n values or none, and row-major A (m, k) and C (m, n) inside their spans.</summary>
    public static void CheckPacked(string kernel, int m, int n, int k, int aLength, int lda, int cLength, int ldc,
        float beta, int biasLength)
    {
        if (beta is not (0f or 1f)) throw new ArgumentOutOfRangeException(nameof(beta), beta, $"{kernel}: beta must be 0 or 1");
        if (biasLength != 0 && biasLength != n)
            throw new ArgumentException($"{kernel}: bias has {biasLength} values, B has {n} columns", "bias");
        Check(1, m, n, k, aLength, MatrixStrides.RowMajor(lda), n * k, MatrixStrides.RowMajor(n), cLength, MatrixStrides.RowMajor(ldc));
    }

    /// <summary>Throws unless the call <c>C(batch,m,n) = A(batch,m,k) * B(batch,k,n)</c> is well formed.</summary>
    public static void Check(int batch, int m, int n, int k,
        int aLength, MatrixStrides aStrides, int bLength, MatrixStrides bStrides, int cLength, MatrixStrides cStrides)
    {
        if (batch < 0 || m < 0 || n < 0 || k < 0) ThrowNegative(batch, m, n, k);
        if (cStrides.Col != 1) ThrowNonContiguous(batch, m, n, k, cStrides);
        if (batch == 0 || m == 0 || n == 0) return;
        CheckRange("C", "c", batch, m, n, cLength, cStrides, batch, m, n, k);
        CheckNoOverlap(batch, m, n, k, cStrides);
        if (k == 0) return;
        CheckRange("A", "a", batch, m, k, aLength, aStrides, batch, m, n, k);
        CheckRange("B", "b", batch, k, n, bLength, bStrides, batch, m, n, k);
    }

    [DoesNotReturn]
    private static void ThrowNegative(int batch, int m, int n, int k) =>
        throw new ArgumentException($"GEMM sizes must be non-negative, got {Size(batch, m, n, k)}");

    [DoesNotReturn]
    private static void ThrowNonContiguous(int batch, int m, int n, int k, MatrixStrides c) =>
        throw new ArgumentException($"GEMM operand C must have contiguous rows (Col stride 1), got {c} for {Size(batch, m, n, k)}", "c");

    private static string Size(int batch, int m, int n, int k) => $"(batch={batch}, m={m}, n={n}, k={k})";

    /// <summary>Checks that offsets <c>t*Batch + i*Row + j*Col</c> (t&lt;batch, i&lt;rows, j&lt;cols) lie in [0, length).</summary>
    private static void CheckRange(string operand, string parameter, int batch, int rows, int cols, int length,
        MatrixStrides strides, int b, int m, int n, int k)
    {
        long low = 0, high = 0;
        if (!Extend(ref low, ref high, batch, strides.Batch, length) || !Extend(ref low, ref high, rows, strides.Row, length)
            || !Extend(ref low, ref high, cols, strides.Col, length) || low < 0 || high >= length)
        {
            ThrowOutOfRange(operand, parameter, batch, rows, cols, length, strides, b, m, n, k);
        }
    }

    [DoesNotReturn]
    private static void ThrowOutOfRange(string operand, string parameter, int batch, int rows, int cols, int length,
        MatrixStrides strides, int b, int m, int n, int k) =>
        throw new ArgumentException(
            $"GEMM operand {operand} ({(batch > 1 ? $"{batch}x" : "")}{rows}x{cols}) for {Size(b, m, n, k)} with strides " +
            $"{strides} addresses elements outside its span of length {length}", parameter);

    /// <summary>
    /// Adds the reach of one dimension to [low, high]; false as soon as it cannot fit in a span of
    /// <paramref name="length"/> (which also keeps every sum far from overflow).
    /// </summary>
    private static bool Extend(ref long low, ref long high, int count, long stride, int length)
    {
        if (count <= 1 || stride == 0) return true;
        if (stride > length || stride < -length) return false;
        long reach = (count - 1) * stride;   // |reach| < 2^62
        if (reach < 0) low += reach; else high += reach;
        return low > -length && high < length;
    }

    /// <summary>
    /// Sufficient condition for distinct C elements to occupy distinct memory: sorting the dimensions
    /// of extent &gt; 1 by stride, each stride exceeds the reach of all smaller ones. Accepts every
    /// dense or padded layout, including batches interleaved inside rows (e.g. attention heads).
    /// Runs after the range check, so every stride and reach is below the span length.
    /// </summary>
    private static void CheckNoOverlap(int batch, int m, int n, int k, MatrixStrides c)
    {
        (long Stride, int Count) x = (1, n), y = (m > 1 ? c.Row : 0, m), z = (batch > 1 ? c.Batch : 0, batch);
        if (y.Stride > z.Stride) (y, z) = (z, y);
        if (x.Stride > y.Stride) (x, y) = (y, x);
        if (y.Stride > z.Stride) (y, z) = (z, y);
        long reach = 0;
        foreach (var (stride, count) in (ReadOnlySpan<(long, int)>)[x, y, z])
        {
            if (count <= 1) continue;
            if (stride <= reach) ThrowOverlap(batch, m, n, k, c);
            reach += stride * (count - 1);
        }
    }

    [DoesNotReturn]
    private static void ThrowOverlap(int batch, int m, int n, int k, MatrixStrides c) =>
        throw new ArgumentException(
            $"GEMM operand C for {Size(batch, m, n, k)} with strides {c} makes distinct elements share memory; " +
            "C may not broadcast or overlap itself", "c");
}
